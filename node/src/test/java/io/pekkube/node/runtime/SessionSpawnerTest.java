package io.pekkube.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shim's start: by posix_spawn, and through setsid(1) where the C library lacks what that needs. */
class SessionSpawnerTest {
  @TempDir
  Path dir;
  @ParameterizedTest(name = "posix_spawn {0}")
  @ValueSource(booleans = {true, false})
  void aShimLeadsANewSessionInTheRootWithExactlyItsEnvAndAppendsItsOutput(boolean posixSpawn) throws Exception {
    assumeTrue(!posixSpawn || SessionSpawner.AVAILABLE, "posix_spawn's path needs glibc 2.34 or later");
    Path out = dir.resolve("out.log");
    Files.writeString(out, "before\n");
    // Field 6 of /proc/self/stat is the session: the shell's own pid when it leads a new session.
    SessionSpawner.Child child = ProcessRuntime.startShim(posixSpawn, List.of("sh", "-c",
        "read -r stat </proc/$$/stat; set -- ${stat##*) }; [ \"$4\" = \"$$\" ] && echo leads-its-session; "
            + "pwd; echo \"$ONLY\"; env | grep -c JAVA_HOME; ls /proc/$$/fd | tr '\\n' ' '; echo; echo oops >&2; exit 3"),
        Map.of("ONLY", "this", "PATH", "/usr/bin:/bin"), out);

    assertEquals(OptionalInt.of(3), child.exit().get(10, TimeUnit.SECONDS));
    assertEquals("before\nleads-its-session\n/\nthis\n0\n0 1 2 \noops\n", Files.readString(out),
        "in the root, only its env, only stdin, stdout and stderr open");
  }

  @ParameterizedTest(name = "posix_spawn {0}")
  @ValueSource(booleans = {true, false})
  void aShimKilledByASignalEndsWith128PlusItsNumber(boolean posixSpawn) throws Exception {
    assumeTrue(!posixSpawn || SessionSpawner.AVAILABLE, "posix_spawn's path needs glibc 2.34 or later");
    SessionSpawner.Child child = ProcessRuntime.startShim(posixSpawn, List.of("sh", "-c", "kill -TERM $$; sleep 5"),
        Map.of("PATH", "/usr/bin:/bin"), dir.resolve("out.log"));
    assertEquals(OptionalInt.of(128 + 15), child.exit().get(10, TimeUnit.SECONDS),
        "the default disposition of SIGTERM, whatever the JVM does with it");
  }
}
