package io.pekkube.scenarios;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkube.fixture.Kubectl;
import io.pekkube.fixture.Kubectl.Background;
import io.pekkube.fixture.Kubectl.Result;
import io.pekkube.fixture.KubectlServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kubectl exec}, {@code attach} and {@code cp} with the real kubectl against {@code ./pekkube server},
 * whose kubelet runs the pods as processes; kubectl on PATH (1.32) speaks {@code v5.channel.k8s.io} over a
 * WebSocket, 1.27 {@code v4.channel.k8s.io} in SPDY/3.1 streams:
 * stdin reaches the command, output arrives while it runs, the exit code comes back, {@code -t} gives
 * the command a terminal that follows the client's size, files go both ways through {@code tar}, and
 * attach reaches a running container's stdin and output. The process runtime shares the host's file
 * system, so a pod's paths are host paths (relative ones from the container's working dir).
 */
class KubectlExecTest {
  private static KubectlServer server;
  private static Kubectl kubectl;
  private static Path podDir;
  private static final Map<String, Kubectl> VERSIONS = new HashMap<>();

  @BeforeAll
  static void startServerAndPods() throws Exception {
    server = KubectlServer.start("kubectl-exec");
    kubectl = server.kubectl("");
    podDir = Files.createDirectories(kubectl.work().resolve("pod-dir"));
    ok(kubectl.run("apply", "-f", kubectl.write("pods.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: box}
        spec:
          containers:
          - {name: c, image: busybox, command: [sleep, "3600"], workingDir: "%s"}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: echoer}
        spec:
          containers:
          - name: c
            image: busybox
            stdin: true
            command: [sh, -c, 'while read line; do echo "got $line"; echo "err $line" >&2; done']
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: ttybox}
        spec:
          containers:
          - name: c
            image: busybox
            stdin: true
            tty: true
            command: [sh, -c, '[ -t 0 ] && [ -t 1 ] && echo on-a-terminal; while read line; do echo "typed $line"; done']
        """.formatted(podDir)).toString()));
    for (String version : new String[] {"", "1.27"}) {
      // Each client version needs containers of its own: a stdinOnce input is closed by its first client, and
      // the terminal's command prints its size at each change and ends after the second.
      String resized = podDir.resolve("resized" + version + "-").toString();
      ok(kubectl.run("apply", "-f", kubectl.write("per-version.yaml", """
          apiVersion: v1
          kind: Pod
          metadata: {name: %s}
          spec:
            restartPolicy: Never
            containers:
            - name: c
              image: busybox
              stdin: true
              stdinOnce: true
              command: [sh, -c, 'while read line; do echo "got $line"; done; echo "end of input"']
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: %s}
          spec:
            restartPolicy: Never
            containers:
            - name: c
              image: busybox
              stdin: true
              tty: true
              command: [sh, -c, 'n=0; trap "n=\\$((n+1)); echo size \\$(stty size); touch %s\\$n" WINCH; while [ ! -e %s2 ]; do sleep 0.1; done']
          """.formatted(oncePod(version), ttySizePod(version), resized, resized)).toString()));
    }
    ok(kubectl.run("wait", "--for=condition=Ready", "pod/box", "pod/echoer", "pod/ttybox", "pod/" + oncePod(""), "pod/" + oncePod("1.27"),
        "pod/" + ttySizePod(""), "pod/" + ttySizePod("1.27"), "--timeout=90s"));
  }

  private static String ttySizePod(String version) {
    return version.isEmpty() ? "ttysize" : "ttysize-" + version.replace('.', '-');
  }

  private static String oncePod(String version) {
    return version.isEmpty() ? "once" : "once-" + version.replace('.', '-');
  }

  private static Kubectl kubectl(String version) throws Exception {
    if (!VERSIONS.containsKey(version)) {
      VERSIONS.put(version, version.isEmpty() ? kubectl : server.kubectl(version));
    }
    return VERSIONS.get(version);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.deletePodsAndClose();
    }
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"", "1.27"})
  void execPassesStdinToTheCommand(String version) throws Exception {
    Kubectl kubectl = kubectl(version);
    Result r = kubectl.runWithInput("first line\nsecond line\n", "exec", "-i", "box", "--", "cat");
    ok(r);
    assertEquals("first line\nsecond line\n", r.out(), r.describe());
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"", "1.27"})
  void outputArrivesWhileTheCommandRuns(String version) throws Exception {
    Kubectl kubectl = kubectl(version);
    Path go = podDir.resolve("go-on" + version);
    try (Background exec = kubectl.background("exec", "box", "--", "sh", "-c",
        "echo 1; while [ ! -e " + go + " ]; do sleep 0.1; done; echo 2")) {
      String first = exec.awaitStdout(out -> out.contains("1\n"), Duration.ofSeconds(30));
      assertEquals("1\n", first, exec.describe());
      assertTrue(exec.process().isAlive(), "the first line came before the command ended: " + exec.describe());
      Files.writeString(go, "");
      exec.process().waitFor();
      assertEquals(0, exec.process().exitValue(), exec.describe());
      assertEquals("1\n2\n", exec.stdout(), exec.describe());
    }
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"", "1.27"})
  void theExitCodeAndStderrComeBack(String version) throws Exception {
    Kubectl kubectl = kubectl(version);
    Result r = kubectl.run("exec", "box", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
    assertEquals(3, r.exit(), r.describe());
    assertEquals("out\n", r.out(), r.describe());
    assertTrue(r.err().startsWith("err\n"), r.describe());
    assertTrue(r.err().contains("command terminated with exit code 3"), r.describe());

    Result missing = kubectl.run("exec", "box", "--", "no-such-command");
    assertEquals(1, missing.exit(), missing.describe());
    assertTrue(missing.err().contains("error executing command in container: failed to exec in container")
        && missing.err().contains("exec: \"no-such-command\": executable file not found in $PATH"), missing.describe());
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"", "1.27"})
  void execWithATerminalGetsAPtyOfTheClientsSize(String version) throws Exception {
    Kubectl kubectl = kubectl(version);
    Result r = kubectl.runInTerminal("stty cols 100 rows 30; $KUBECTL exec -it box -- sh -c 'tty; stty size; exit 4'");
    assertEquals(4, r.exit(), r.out());
    assertTrue(Pattern.compile("/dev/pts/\\d+\r\n30 100\r\n").matcher(r.out()).find(), r.out());
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"", "1.27"})
  void aResizeOfTheClientsTerminalReachesTheCommand(String version) throws Exception {
    Kubectl kubectl = kubectl(version);
    Path printed = podDir.resolve("size-printed" + version);
    // The command prints its size, then waits (10 s at most) until it changes; meanwhile the terminal kubectl
    // runs in is resized, kubectl gets SIGWINCH and sends the new size on the resize channel.
    String remote = "stty size; touch " + printed + "; i=0; "
        + "while [ \"$(stty size)\" = \"30 100\" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; stty size";
    String local = "stty cols 100 rows 30; "
        + "(while [ ! -e " + printed + " ]; do sleep 0.1; done; stty cols 77 rows 11 </dev/tty) & "
        + "$KUBECTL exec -it box -- sh -c '" + remote + "'";
    Result r = kubectl.runInTerminal(local);
    assertEquals(0, r.exit(), r.out());
    assertTrue(r.out().contains("30 100\r\n11 77\r\n"), r.out());
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"", "1.27"})
  void cpCopiesFilesIntoAndOutOfThePod(String version) throws Exception {
    Kubectl kubectl = kubectl(version);
    byte[] content = new byte[300_000];
    new Random(42).nextBytes(content);
    Path local = Files.write(kubectl.work().resolve("upload.bin"), content);

    // A relative path in the pod is relative to its container's working dir.
    String uploaded = "uploaded" + version + ".bin";
    ok(kubectl.run("cp", local.toString(), "box:" + uploaded));
    assertArrayEquals(content, Files.readAllBytes(podDir.resolve(uploaded)));

    Path sub = Files.createDirectories(podDir.resolve("tree/sub"));
    Files.writeString(sub.resolve("a.txt"), "alpha\n");
    Path down = kubectl.work().resolve("download.bin");
    ok(kubectl.run("cp", "box:" + podDir.resolve(uploaded), down.toString()));
    assertArrayEquals(content, Files.readAllBytes(down));
    Path tree = kubectl.work().resolve("tree-copy");
    ok(kubectl.run("cp", "box:tree", tree.toString()));
    assertEquals("alpha\n", Files.readString(tree.resolve("sub/a.txt")));
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"", "1.27"})
  void attachWritesToAContainersStdinAndFollowsItsOutput(String version) throws Exception {
    Kubectl kubectl = kubectl(version);
    try (Background attach = kubectl.background("attach", "-i", "echoer")) {
      attach.stdin().write(("one" + version + "\n").getBytes(StandardCharsets.UTF_8));
      attach.stdin().flush();
      String out = attach.awaitStdout(o -> o.contains("got one" + version + "\n"), Duration.ofSeconds(30));
      assertTrue(out.contains("got one" + version + "\n"), attach.describe());
      attach.stdin().write(("two" + version + "\n").getBytes(StandardCharsets.UTF_8));
      attach.stdin().flush();
      attach.awaitStdout(o -> o.contains("got two" + version + "\n"), Duration.ofSeconds(30));
      assertTrue(attach.awaitOutput(o -> o.contains("err two" + version), Duration.ofSeconds(30)).contains("err two" + version),
          "stderr is streamed too: " + attach.describe());
      // Ending the input detaches the client (as containerd does); the container reads on.
      attach.stdin().close();
      attach.process().waitFor();
      assertEquals(0, attach.process().exitValue(), attach.describe());
    }
    ok(kubectl.run("wait", "--for=condition=Ready", "pod/echoer", "--timeout=5s"));
    Result logs = ok(kubectl.run("logs", "echoer"));
    assertTrue(logs.out().contains("got one" + version + "\n") && logs.out().contains("got two" + version + "\n"), logs.describe());
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"", "1.27"})
  void attachToAStdinOnceContainerClosesItsInputWithTheFirstClient(String version) throws Exception {
    Kubectl kubectl = kubectl(version);
    Result r = kubectl.runWithInput("only\n", "attach", "-i", oncePod(version));
    ok(r);
    assertTrue(r.out().contains("got only\nend of input\n"), r.describe());
    Result phase = ok(kubectl.run("wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/" + oncePod(version), "--timeout=30s"));
    assertFalse(phase.out().isEmpty(), phase.describe());
  }

  @Test
  void aContainerWithTtyRunsOnATerminalOfItsOwnThatAttachedInputReaches() throws Exception {
    Result logs = ok(kubectl.run("logs", "ttybox"));
    assertTrue(logs.out().contains("on-a-terminal"), logs.describe());
    try (Background attach = kubectl.background("attach", "-i", "ttybox")) {
      attach.stdin().write("hello\n".getBytes(StandardCharsets.UTF_8));
      attach.stdin().flush();
      String out = attach.awaitStdout(o -> o.contains("typed hello\r\n"), Duration.ofSeconds(30));
      // The container's terminal echoes the input, then the command answers; both end lines with \r\n.
      assertTrue(out.contains("hello\r\ntyped hello\r\n"), attach.describe());
      attach.stdin().close();
      attach.process().waitFor();
      assertEquals(0, attach.process().exitValue(), attach.describe());
    }
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"", "1.27"})
  void attachWithATerminalResizesTheContainersTerminal(String version) throws Exception {
    Kubectl kubectl = kubectl(version);
    Path firstResize = podDir.resolve("resized" + version + "-1");
    // kubectl sends its terminal's size when it attaches; once the container has printed it, the terminal
    // kubectl runs in is resized, kubectl sends the new size, and the container prints it and ends.
    String local = "stty cols 100 rows 30; "
        + "(while [ ! -e " + firstResize + " ]; do sleep 0.1; done; stty cols 77 rows 11 </dev/tty) & "
        + "$KUBECTL attach -it " + ttySizePod(version);
    Result r = kubectl.runInTerminal(local);
    assertTrue(r.out().contains("size 30 100\r\n") && r.out().contains("size 11 77\r\n"), r.out());
    ok(kubectl.run("wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/" + ttySizePod(version), "--timeout=30s"));
  }

  private static Result ok(Result r) {
    assertEquals(0, r.exit(), r.describe());
    return r;
  }
}
