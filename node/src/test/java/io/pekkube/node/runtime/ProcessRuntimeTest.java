package io.pekkube.node.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pekkube.node.images.ImageCatalogue;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process runtime against real processes on this host. */
class ProcessRuntimeTest {
  private static final Pattern CRI_LINE =
      Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?Z (stdout|stderr) [FP] .*$");
  private static final HostSupport HOST = HostSupport.probe();

  @TempDir Path dir;
  private ProcessRuntime runtime;
  private final List<ProcessRuntime> runtimes = new ArrayList<>();
  private final List<RunningContainer> started = new ArrayList<>();

  @BeforeEach
  void startRuntime() {
    runtime = newRuntime(RuntimeSettings.defaults(dir.resolve("root")));
  }

  @AfterEach
  void killEverything() throws Exception {
    for (RunningContainer c : started) {
      c.stop(Duration.ZERO).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    runtimes.forEach(ProcessRuntime::close);
  }

  private ProcessRuntime newRuntime(RuntimeSettings settings) {
    ProcessRuntime r = new ProcessRuntime(settings, HOST, ImageCatalogue.builtIn());
    runtimes.add(r);
    return r;
  }

  private ContainerSpec spec(List<String> command) {
    return spec(command, Map.of(), "", List.of(), ContainerSpec.Security.none(), ContainerSpec.Limits.none());
  }

  private ContainerSpec spec(List<String> command, ContainerSpec.Streams streams) {
    return new ContainerSpec("uid-1", "default", "pod", "main", "busybox", command, Map.of(), "", List.of(),
        ContainerSpec.Security.none(), ContainerSpec.Limits.none(), dir.resolve("logs"), streams);
  }

  private ContainerSpec spec(List<String> command, Map<String, String> env, String workingDir,
      List<ContainerSpec.Mount> mounts, ContainerSpec.Security security, ContainerSpec.Limits limits) {
    return new ContainerSpec("uid-1", "default", "pod", "main", "busybox", command, env, workingDir, mounts,
        security, limits, dir.resolve("logs"));
  }

  private RunningContainer start(ContainerRuntime r, ContainerSpec spec) throws Exception {
    RunningContainer c = r.start(spec).toCompletableFuture().get(10, TimeUnit.SECONDS);
    started.add(c);
    return c;
  }

  private static RunningContainer.Exit exit(RunningContainer c) throws Exception {
    return c.exited().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** Reads until what was read ends with {@code end} (or the stream ends). */
  private static String readUntil(java.io.InputStream in, String end) throws IOException {
    StringBuilder read = new StringBuilder();
    int b;
    while (!read.toString().endsWith(end) && (b = in.read()) >= 0) {
      read.append((char) b);
    }
    return read.toString();
  }

  private static List<String> logLines(RunningContainer c) throws IOException {
    return Files.exists(c.logFile()) ? Files.readAllLines(c.logFile()) : List.of();
  }

  private static List<String> contents(RunningContainer c) throws IOException {
    return logLines(c).stream().map(l -> l.split(" ", 4)[3]).toList();
  }

  @Test
  void aServerInTheContainerAnswersOnItsPort() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path www = Files.createDirectories(dir.resolve("www"));
    Files.writeString(www.resolve("index.html"), "hello from pekkube");
    start(runtime, spec(List.of("python3", "-m", "http.server", Integer.toString(port), "--bind", "127.0.0.1"),
        Map.of(), www.toString(), List.of(), ContainerSpec.Security.none(), ContainerSpec.Limits.none()));
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html")).build();
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
        assertEquals("hello from pekkube", http.send(get, HttpResponse.BodyHandlers.ofString()).body()));
  }

  @Test
  void theProcessHoldsOnlyItsOwnStreamsNoneOfTheJvmsFiles() throws Exception {
    // The JVM holds many files (jars, sockets, other containers' FIFOs); a container inherits none of them.
    RunningContainer other = start(runtime, spec(List.of("sleep", "30")));
    RunningContainer c = start(runtime, spec(List.of("sh", "-c", "ls /proc/$$/fd | tr '\\n' ' '")));
    exit(c);
    assertEquals(List.of("0 1 2 "), contents(c), "stdin, stdout and stderr only");
    other.stop(Duration.ZERO).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void theProcessSeesExactlyTheSpecEnvAndItsWorkingDir() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    RunningContainer c = start(runtime, spec(List.of("sh", "-c", "echo \"greeting=$GREETING\"; pwd; env | grep -c JAVA_HOME"),
        Map.of("GREETING", "hi there"), work.toString(), List.of(), ContainerSpec.Security.none(),
        ContainerSpec.Limits.none()));
    assertEquals(1, exit(c).exitCode(), "grep finds no JAVA_HOME: the JVM's env does not leak");
    assertEquals(List.of("greeting=hi there", work.toString(), "0"), contents(c));
  }

  @Test
  void theContainerLeadsItsOwnProcessGroup() throws Exception {
    RunningContainer c = start(runtime, spec(List.of("sleep", "30")));
    assertEquals(OptionalLong.of(c.pid()), ProcessGroups.processGroup(c.pid()));
    await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(c.pid()).orElseThrow().info().command()
        .map(p -> Path.of(p).getFileName().toString()).orElse(""), "sleep"::equals);
  }

  @Test
  void stdoutAndStderrAreLoggedInCriFormat() throws Exception {
    RunningContainer c = start(runtime, spec(List.of("sh", "-c", "echo out-line; echo err-line >&2; printf no-newline")));
    exit(c);
    List<String> lines = logLines(c);
    assertEquals(3, lines.size(), lines.toString());
    lines.forEach(l -> assertTrue(CRI_LINE.matcher(l).matches(), l));
    assertTrue(lines.stream().anyMatch(l -> l.endsWith(" stdout F out-line")), lines.toString());
    assertTrue(lines.stream().anyMatch(l -> l.endsWith(" stderr F err-line")), lines.toString());
    assertTrue(lines.stream().anyMatch(l -> l.endsWith(" stdout F no-newline")), lines.toString());
    assertEquals(dir.resolve("logs").resolve("0.log"), c.logFile());
  }

  @Test
  void aLineLongerThanTheBufferIsSplitIntoPartialEntries() throws Exception {
    int length = LogPump.MAX_LINE + 100;
    RunningContainer c = start(runtime, spec(List.of("python3", "-c", "print('x' * " + length + ")")));
    exit(c);
    List<String> lines = logLines(c);
    assertEquals(2, lines.size());
    assertTrue(lines.get(0).contains(" stdout P "));
    assertTrue(lines.get(1).contains(" stdout F "));
    assertEquals(length, contents(c).stream().mapToInt(String::length).sum());
  }

  @Test
  void logsAreRotatedBySizeKeepingMaxFiles() throws Exception {
    ProcessRuntime small = newRuntime(RuntimeSettings.defaults(dir.resolve("root2")).withLogRotation(2048, 3));
    RunningContainer c = start(small, spec(List.of("sh", "-c", "i=0; while [ $i -lt 300 ]; do echo line-$i; i=$((i+1)); done")));
    exit(c);
    List<Path> files;
    try (var list = Files.list(c.logFile().getParent())) {
      files = list.toList();
    }
    assertEquals(3, files.size(), files.toString());
    for (Path f : files) {
      assertTrue(Files.size(f) <= 2048, f + " has " + Files.size(f) + " bytes");
    }
    assertTrue(contents(c).contains("line-299"), "the newest lines are in the current file");
  }

  @Test
  void exitCodesAndReasons() throws Exception {
    RunningContainer ok = start(runtime, spec(List.of("true")));
    RunningContainer failed = start(runtime, spec(List.of("sh", "-c", "exit 3")));
    RunningContainer killed = start(runtime, spec(List.of("sh", "-c", "kill -9 $$")));
    RunningContainer.Exit okExit = exit(ok);
    assertEquals(0, okExit.exitCode());
    assertEquals("Completed", okExit.reason());
    assertFalse(okExit.finishedAt().isBefore(okExit.startedAt()));
    assertEquals(3, exit(failed).exitCode());
    assertEquals("Error", exit(failed).reason());
    assertEquals(128 + 9, exit(killed).exitCode());
    assertEquals("Error", exit(killed).reason());
  }

  @Test
  void stopSendsTermToTheGroupThenKillAfterTheGrace() throws Exception {
    // The shell traps TERM and keeps running; its child sleeps in the same group.
    RunningContainer stubborn = start(runtime, spec(List.of("sh", "-c",
        "trap 'echo got-term' TERM; echo ready; while true; do sleep 0.1; done")));
    await().atMost(Duration.ofSeconds(5)).until(() -> contents(stubborn).contains("ready"));
    Instant stopAt = Instant.now();
    RunningContainer.Exit exit = stubborn.stop(Duration.ofMillis(800)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(137, exit.exitCode());
    assertTrue(Duration.between(stopAt, exit.finishedAt()).toMillis() >= 700, "killed only after the grace");
    assertTrue(contents(stubborn).contains("got-term"));

    RunningContainer polite = start(runtime, spec(List.of("sleep", "30")));
    RunningContainer.Exit termExit = polite.stop(Duration.ofSeconds(10)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(128 + 15, termExit.exitCode(), "a process that dies of TERM never waits for the grace");
  }

  @Test
  void aContainerWithTtyHasATerminalOfItsOwnThatAnAttachedClientTypesInto() throws Exception {
    RunningContainer c = start(runtime, spec(List.of("sh", "-c",
        "[ -t 0 ] && [ -t 1 ] && echo has-a-terminal; read line; echo you-said-$line; sleep 30"),
        new ContainerSpec.Streams(true, false, true)));
    await().atMost(Duration.ofSeconds(10)).until(() -> contents(c).contains("has-a-terminal"));
    AttachedStreams attached = runtime.attach(c.id(), true, true).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(attached.stderr().isEmpty(), "with a terminal stdout and stderr are one stream");
    attached.stdin().orElseThrow().write("hello\n".getBytes(StandardCharsets.UTF_8));
    attached.stdin().orElseThrow().flush();
    // The terminal echoes what is typed and ends lines with \r\n.
    assertEquals("hello\r\nyou-said-hello\r\n", readUntil(attached.stdout(), "you-said-hello\r\n"));
    attached.close();

    RunningContainer.Exit exit = c.stop(Duration.ofSeconds(10)).toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(128 + 15, exit.exitCode(), "SIGTERM reaches the command on the terminal");
  }

  @Test
  void anAttachedClientsResizeReachesTheContainersTerminal() throws Exception {
    // The command prints its terminal's size whenever it changes (SIGWINCH), and once at the start.
    RunningContainer c = start(runtime, spec(List.of("sh", "-c",
        "trap 'echo size $(stty size)' WINCH; echo size $(stty size); while :; do sleep 0.1; done"),
        new ContainerSpec.Streams(true, false, true)));
    await().atMost(Duration.ofSeconds(10)).until(() -> contents(c).contains("size 0 0"));
    AttachedStreams attached = runtime.attach(c.id(), true, true).toCompletableFuture().get(10, TimeUnit.SECONDS);

    attached.resize(100, 30);
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> readUntil(attached.stdout(), "size 30 100\r\n"),
        "the command saw the client's size");
    attached.resize(77, 11);
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> readUntil(attached.stdout(), "size 11 77\r\n"),
        "and then its new size");
    attached.close();
    c.stop(Duration.ofSeconds(10)).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void aResizeOfAContainerWithoutATerminalChangesNothing() throws Exception {
    RunningContainer c = start(runtime, spec(List.of("sh", "-c", "echo started; sleep 30"),
        new ContainerSpec.Streams(true, false, false)));
    await().atMost(Duration.ofSeconds(10)).until(() -> contents(c).contains("started"));
    AttachedStreams attached = runtime.attach(c.id(), true, true).toCompletableFuture().get(10, TimeUnit.SECONDS);
    attached.resize(100, 30);
    assertTrue(ContainerTerminal.deviceOf(c.pid()).isEmpty(), "no terminal to resize");
    attached.close();
    assertFalse(c.exited().toCompletableFuture().isDone(), "the container runs on");
    c.stop(Duration.ofSeconds(10)).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void aContainerWithTtyButNoStdinWaitsForInputThatNeverComes() throws Exception {
    RunningContainer c = start(runtime, spec(List.of("sh", "-c", "echo reading; cat; echo input-ended"),
        new ContainerSpec.Streams(false, false, true)));
    await().atMost(Duration.ofSeconds(10)).until(() -> contents(c).contains("reading"));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
        .until(() -> !c.exited().toCompletableFuture().isDone() && !contents(c).contains("input-ended"));
  }

  @Test
  void childrenLeftInTheGroupDieWithTheMainProcess() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    RunningContainer c = start(runtime, spec(List.of("sh", "-c", "sleep 30 & echo $! > " + pidFile + "; exit 0")));
    exit(c);
    long child = Long.parseLong(Files.readString(pidFile).strip());
    await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
  }

  @Test
  void execRunsInTheContainersEnvAndDirectoryWithATimeout() throws Exception {
    Path work = Files.createDirectories(dir.resolve("exec-work"));
    RunningContainer c = start(runtime, spec(List.of("sleep", "30"), Map.of("WHO", "container"), work.toString(),
        List.of(), ContainerSpec.Security.none(), ContainerSpec.Limits.none()));
    ContainerRuntime.ExecResult result = runtime.exec(c.id(), List.of("sh", "-c", "echo $WHO; pwd; echo oops >&2; exit 4"),
        Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(4, result.exitCode());
    assertEquals("container\n" + work + "\n", result.stdout());
    assertEquals("oops\n", result.stderr());
    assertFalse(result.timedOut());

    Instant before = Instant.now();
    ContainerRuntime.ExecResult slow = runtime.exec(c.id(), List.of("sleep", "20"), Duration.ofMillis(300))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(slow.timedOut());
    assertEquals(-1, slow.exitCode());
    assertTrue(Duration.between(before, Instant.now()).toSeconds() < 5);
  }

  @Test
  void attachedExecPassesStdinAndKeepsStdoutAndStderrApart() throws Exception {
    RunningContainer c = start(runtime, spec(List.of("sleep", "30")));
    AttachedStreams exec = runtime.execAttached(c.id(), List.of("sh", "-c", "cat; echo done >&2; exit 5"), false)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (var in = exec.stdin().orElseThrow()) {
      in.write("first\nsecond\n".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals("first\nsecond\n", new String(exec.stdout().readAllBytes(), StandardCharsets.UTF_8));
    assertEquals("done\n", new String(exec.stderr().orElseThrow().readAllBytes(), StandardCharsets.UTF_8));
    assertEquals(Optional.of(5), exec.exited().toCompletableFuture().get(10, TimeUnit.SECONDS));
  }

  @Test
  void attachedExecWithATerminalSeesItsSizeChangeAndHasOneOutputStream() throws Exception {
    RunningContainer c = start(runtime, spec(List.of("sleep", "30")));
    AttachedStreams exec = runtime.execAttached(c.id(),
        List.of("sh", "-c", "tty; echo $TERM; read line; stty size; exit 2"), true).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertTrue(exec.stderr().isEmpty(), "with a terminal stdout and stderr are one stream");
    // The terminal turns \n into \r\n and echoes what is typed.
    String first = readUntil(exec.stdout(), "xterm\r\n");
    assertTrue(Pattern.compile("^/dev/pts/\\d+\r\nxterm\r\n$").matcher(first).matches(), first);
    exec.resize(123, 45);
    exec.stdin().orElseThrow().write("go\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("go\r\n45 123\r\n", new String(exec.stdout().readAllBytes(), StandardCharsets.UTF_8));
    assertEquals(Optional.of(2), exec.exited().toCompletableFuture().get(10, TimeUnit.SECONDS));
  }

  @Test
  void attachedExecOfAMissingExecutableFailsAsContainerdSaysIt() throws Exception {
    RunningContainer c = start(runtime, spec(List.of("sleep", "30")));
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () ->
        runtime.execAttached(c.id(), List.of("no-such-binary-here"), false).toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertInstanceOf(ContainerRuntime.StartFailure.class, e.getCause());
    assertTrue(e.getCause().getMessage().endsWith("OCI runtime exec failed: exec failed: unable to start container "
        + "process: exec: \"no-such-binary-here\": executable file not found in $PATH: unknown"), e.getCause().getMessage());
  }

  @Test
  void closingAnAttachedExecKillsItAndWhatItStarted() throws Exception {
    RunningContainer c = start(runtime, spec(List.of("sleep", "30")));
    AttachedStreams exec = runtime.execAttached(c.id(), List.of("sh", "-c", "sleep 60 & echo $!; wait"), false)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    byte[] line = new byte[32];
    int n = exec.stdout().read(line);
    long child = Long.parseLong(new String(line, 0, n, StandardCharsets.UTF_8).strip());
    exec.close();
    assertTrue(exec.exited().toCompletableFuture().get(10, TimeUnit.SECONDS).isPresent());
    await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
  }

  @Test
  void pullingAnUnknownImageIsErrImagePull() throws Exception {
    ContainerRuntime.ImageCheck check = runtime.pullImage("nosuch").toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertFalse(check.present());
    assertEquals("ErrImagePull", check.reason());
    assertTrue(check.message().startsWith("failed to pull and unpack image \"docker.io/library/nosuch:latest\""));
    assertTrue(runtime.pullImage("busybox:1.36").toCompletableFuture().get(5, TimeUnit.SECONDS).present());
  }

  @Test
  void aCatalogueImageRunsWithTheResolvedCommand() throws Exception {
    ContainerRuntime.ImageConfig curl = runtime.pullImage("curlimages/curl:8.5.0").toCompletableFuture().get().config();
    Map<String, String> env = Map.of("NAME", "pekkube");
    List<String> command = ContainerCommand.resolve(List.of(), List.of("-s", "-w", "hello $(NAME)", "file:///dev/null"), curl, env);
    assertEquals(List.of("curl", "-s", "-w", "hello pekkube", "file:///dev/null"), command);
    RunningContainer c = start(runtime, spec(command, env, ContainerCommand.workingDir("", curl), List.of(),
        ContainerSpec.Security.none(), ContainerSpec.Limits.none()));
    assertEquals(0, exit(c).exitCode());
    assertEquals(List.of("hello pekkube"), contents(c));

    // As in Kubernetes: busybox has no entrypoint, so args alone replace its cmd and "-c" is the executable.
    ContainerRuntime.ImageConfig busybox = runtime.pullImage("busybox").toCompletableFuture().get().config();
    List<String> argsOnly = ContainerCommand.resolve(List.of(), List.of("-c", "echo hi"), busybox, env);
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () ->
        runtime.start(spec(argsOnly)).toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("exec: \"-c\": executable file not found in $PATH"));
  }

  @Test
  void execInAnUnknownContainerFails() {
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () ->
        runtime.exec("nosuch", List.of("true"), Duration.ofSeconds(1)).toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertInstanceOf(java.util.NoSuchElementException.class, e.getCause());
  }

  @Test
  void aMissingExecutableIsAStartFailureWithRuncsMessage() {
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () ->
        runtime.start(spec(List.of("no-such-binary-here"))).toCompletableFuture().get(5, TimeUnit.SECONDS));
    ContainerRuntime.StartFailure failure = assertInstanceOf(ContainerRuntime.StartFailure.class, e.getCause());
    assertEquals("RunContainerError", failure.reason());
    assertTrue(failure.getMessage().contains("exec: \"no-such-binary-here\": executable file not found in $PATH"),
        failure.getMessage());
  }

  @Test
  void runAsUserAndGroupAreEnforcedAsRoot() throws Exception {
    assumeTrue(HOST.runsAsUser(), "needs root and setpriv");
    ContainerSpec.Security nobody = new ContainerSpec.Security(OptionalLong.of(65534), OptionalLong.of(65533), false);
    RunningContainer c = start(runtime, spec(List.of("sh", "-c", "echo $(id -u):$(id -g):$(id -G); sleep 30"), Map.of(), "",
        List.of(), nobody, ContainerSpec.Limits.none()));
    await().atMost(Duration.ofSeconds(5)).until(() -> contents(c).contains("65534:65533:65533"));
    ContainerRuntime.ExecResult id = runtime.exec(c.id(), List.of("id", "-u"), Duration.ofSeconds(5))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals("65534\n", id.stdout(), "exec runs as the container's user too");
    assertTrue(runtime.enforcement().runAsUser());
  }

  @Test
  void aVolumeIsBindMountedAtItsContainerPathReadOnlyWhenAsked() throws Exception {
    assumeTrue(HOST.mountNamespaces(), "needs a private mount namespace");
    Path volume = Files.createDirectories(dir.resolve("volume"));
    Files.writeString(volume.resolve("config.txt"), "from the volume");
    Path mountPoint = dir.resolve("container-view"); // empty on the host; the container sees the volume there
    List<ContainerSpec.Mount> mounts = List.of(new ContainerSpec.Mount(volume, mountPoint.toString(), true));
    RunningContainer c = start(runtime, spec(List.of("sh", "-c",
            "cat config.txt; echo; touch written 2>/dev/null && echo writable || echo read-only; sleep 30"),
        Map.of(), mountPoint.toString(), mounts, ContainerSpec.Security.none(), ContainerSpec.Limits.none()));
    await().atMost(Duration.ofSeconds(5)).until(() -> contents(c).size() >= 2);
    assertEquals(List.of("from the volume", "read-only"), contents(c));
    assertFalse(Files.exists(mountPoint.resolve("config.txt")), "the host's view is unchanged");
    ContainerRuntime.ExecResult exec = runtime.exec(c.id(), List.of("cat", mountPoint + "/config.txt"), Duration.ofSeconds(5))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals("from the volume", exec.stdout(), "exec enters the container's mount namespace");
  }

  @Test
  void aReadOnlyRootFilesystemRefusesWritesOutsideVolumes() throws Exception {
    assumeTrue(HOST.mountNamespaces(), "needs a private mount namespace");
    Path volume = Files.createDirectories(dir.resolve("scratch"));
    Files.setPosixFilePermissions(volume, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    List<ContainerSpec.Mount> mounts = List.of(new ContainerSpec.Mount(volume, "/pekkube-test-scratch-" + ProcessHandle.current().pid(), false));
    String marker = "/pekkube-ro-test-" + ProcessHandle.current().pid();
    RunningContainer c = start(runtime, spec(List.of("sh", "-c",
            "touch " + marker + " 2>/dev/null && echo root-writable || echo root-read-only; "
                + "touch " + mounts.get(0).containerPath() + "/f && echo volume-writable"),
        Map.of(), "", mounts, new ContainerSpec.Security(OptionalLong.empty(), OptionalLong.empty(), true),
        ContainerSpec.Limits.none()));
    assertEquals(0, exit(c).exitCode());
    assertEquals(List.of("root-read-only", "volume-writable"), contents(c));
    assertFalse(Files.exists(Path.of(marker)));
    assertTrue(Files.exists(volume.resolve("f")));
    Files.deleteIfExists(Path.of(mounts.get(0).containerPath()));
  }

  @Test
  void aMountThatFailsIsAStartErrorWithTheLaunchersMessage() throws Exception {
    assumeTrue(HOST.mountNamespaces(), "needs a private mount namespace");
    List<ContainerSpec.Mount> mounts = List.of(new ContainerSpec.Mount(dir.resolve("missing-volume"),
        dir.resolve("mnt").toString(), false));
    RunningContainer c = start(runtime, spec(List.of("true"), Map.of(), "", mounts, ContainerSpec.Security.none(),
        ContainerSpec.Limits.none()));
    RunningContainer.Exit exit = exit(c);
    assertEquals(128, exit.exitCode());
    assertEquals("StartError", exit.reason());
    assertTrue(exit.message().contains("missing-volume"), exit.message());
  }

  @Test
  void withoutPrivilegesTheContainerStillRunsAndEnforcementSaysWhatIsNot() throws Exception {
    ProcessRuntime plain = new ProcessRuntime(RuntimeSettings.defaults(dir.resolve("root-plain")), HostSupport.none(), ImageCatalogue.builtIn());
    runtimes.add(plain);
    Path volume = Files.createDirectories(dir.resolve("plain-volume"));
    List<ContainerSpec.Mount> mounts = List.of(new ContainerSpec.Mount(volume, dir.resolve("plain-mount").toString(), false));
    RunningContainer c = start(plain, spec(List.of("sh", "-c", "id -u; test -d " + dir.resolve("plain-mount") + " && echo mounted || echo not-mounted"),
        Map.of(), "", mounts, new ContainerSpec.Security(OptionalLong.of(65534), OptionalLong.empty(), false),
        new ContainerSpec.Limits(64L << 20, 100)));
    assertEquals(0, exit(c).exitCode());
    assertFalse(contents(c).get(0).equals("65534"), "the user is not switched");
    assertEquals("not-mounted", contents(c).get(1), "the volume is only at its host path");
    ContainerRuntime.Enforcement enforcement = plain.enforcement();
    assertFalse(enforcement.limits());
    assertFalse(enforcement.runAsUser());
    assertTrue(enforcement.note().contains("volumes not mounted"), enforcement.note());
  }

  @Test
  void aRestartedRuntimeAdoptsItsRunningContainersAndKeepsLogging() throws Exception {
    Path root = dir.resolve("root3");
    ProcessRuntime first = newRuntime(RuntimeSettings.defaults(root));
    RunningContainer c = start(first, spec(List.of("sh", "-c", "trap 'echo bye; exit 0' TERM; echo before; while true; do sleep 0.1; done")));
    await().atMost(Duration.ofSeconds(5)).until(() -> contents(c).contains("before"));
    first.close();
    started.remove(c); // the first runtime no longer watches it; its handle never completes

    ProcessRuntime second = newRuntime(RuntimeSettings.defaults(root));
    List<RunningContainer> adopted = second.running();
    assertEquals(1, adopted.size());
    RunningContainer again = adopted.get(0);
    started.add(again);
    assertEquals(c.id(), again.id());
    assertEquals(c.pid(), again.pid());
    assertEquals(c.spec(), again.spec());
    RunningContainer.Exit exit = again.stop(Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(0, exit.exitCode(), "the shim kept the exit code for the runtime that adopted the container");
    assertEquals("Completed", exit.reason());
    assertTrue(contents(again).contains("bye"), "output after the restart reaches the same log");
    assertTrue(second.running().isEmpty());
  }


  @Test
  void twoRuntimesCleaningUpTheSameContainerBothSeeItsExit() throws Exception {
    // An in-process node restarts: the old runtime may still be finishing a container the new one
    // adopted, and both remove its state directory at once. Neither may lose the exit (it hung once).
    Path root = dir.resolve("root-both");
    ProcessRuntime first = newRuntime(RuntimeSettings.defaults(root));
    List<RunningContainer> mine = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      mine.add(start(first, spec(List.of("sleep", "30"))));
    }
    ProcessRuntime second = newRuntime(RuntimeSettings.defaults(root));
    List<RunningContainer> adopted = second.running();
    assertEquals(5, adopted.size());
    started.addAll(adopted);
    adopted.forEach(c -> c.stop(Duration.ZERO));
    for (RunningContainer c : mine) {
      assertEquals(137, exit(c).exitCode(), "the runtime that started it");
    }
    for (RunningContainer c : adopted) {
      assertEquals(137, exit(c).exitCode(), "the runtime that adopted it");
    }
  }
  @Test
  void aStateFileWhoseProcessIsGoneIsCleanedUp() throws Exception {
    Path root = dir.resolve("root4");
    ProcessRuntime first = newRuntime(RuntimeSettings.defaults(root));
    RunningContainer c = start(first, spec(List.of("sleep", "30")));
    first.close();
    ProcessGroups.signal(c.pid(), "KILL");
    await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(c.pid()).map(h -> !h.isAlive()).orElse(true));
    ProcessRuntime second = newRuntime(RuntimeSettings.defaults(root));
    assertTrue(second.running().isEmpty());
    try (var list = Files.list(root.resolve("containers"))) {
      assertEquals(0, list.count());
    }
    started.remove(c);
  }

  @Test
  void aContainerOverItsMemoryLimitIsOomKilled() throws Exception {
    assumeTrue(HOST.cgroups().isPresent(), "needs writable cgroups");
    RunningContainer c = start(runtime, spec(List.of("python3", "-c", "b = bytearray(200 * 1024 * 1024); print(len(b))"),
        Map.of(), "", List.of(), ContainerSpec.Security.none(), new ContainerSpec.Limits(32L << 20, 0)));
    RunningContainer.Exit exit = exit(c);
    assertEquals("OOMKilled", exit.reason());
    assertEquals(137, exit.exitCode());
  }

  @Test
  void theCpuLimitIsWrittenToTheContainersCgroup() throws Exception {
    assumeTrue(HOST.cgroups().isPresent(), "needs writable cgroups");
    RunningContainer c = start(runtime, spec(List.of("sleep", "30"), Map.of(), "", List.of(), ContainerSpec.Security.none(),
        new ContainerSpec.Limits(64L << 20, 250)));
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(Path.of("/proc", Long.toString(c.pid()), "cgroup"))
        .contains("pekkube/" + c.id()));
    String quota = cgroupFile(c, HOST.cgroups().get().version() == Cgroups.Version.V1 ? "cpu.cfs_quota_us" : "cpu.max");
    assertTrue(quota.startsWith("25000"), quota);
    assertTrue(runtime.enforcement().limits());
  }

  @Test
  void theCpuRequestBecomesTheContainersCpuShare() throws Exception {
    assumeTrue(HOST.cgroups().isPresent(), "needs writable cgroups");
    RunningContainer c = start(runtime, spec(List.of("sleep", "30"), Map.of(), "", List.of(), ContainerSpec.Security.none(),
        new ContainerSpec.Limits(0, 0, 500)));
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(Path.of("/proc", Long.toString(c.pid()), "cgroup"))
        .contains("pekkube/" + c.id()));
    boolean v1 = HOST.cgroups().get().version() == Cgroups.Version.V1;
    String share = cgroupFile(c, v1 ? "cpu.shares" : "cpu.weight");
    assertEquals(v1 ? "512" : "20", share); // 500m: 512 shares, weight 1 + 510 * 9999 / 262142
  }

  /** A file of the container's cgroups (v1: in whichever hierarchy has it). */
  private String cgroupFile(RunningContainer c, String name) throws IOException {
    var state = ContainerStateFile.read(dir.resolve("root").resolve("containers").resolve(c.id()));
    Path file = state.cgroups().stream().map(p -> p.resolve(name)).filter(Files::exists).findFirst().orElseThrow();
    return Files.readString(file).strip();
  }

  @Test
  void aLaunchersLineCountsOnlyOnceItIsComplete() throws Exception {
    Path pid = dir.resolve("pid");
    assertEquals(OptionalLong.empty(), ProcessRuntime.completeLine(pid), "not there yet");
    Files.writeString(pid, "", StandardCharsets.US_ASCII);
    assertEquals(OptionalLong.empty(), ProcessRuntime.completeLine(pid), "created by the redirection, not written");
    Files.writeString(pid, "4242", StandardCharsets.US_ASCII);
    assertEquals(OptionalLong.empty(), ProcessRuntime.completeLine(pid), "no newline yet");
    Files.writeString(pid, "4242\n", StandardCharsets.US_ASCII);
    assertEquals(OptionalLong.of(4242), ProcessRuntime.completeLine(pid));
  }
}
