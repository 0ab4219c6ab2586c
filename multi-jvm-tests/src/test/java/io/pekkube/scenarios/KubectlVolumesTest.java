package io.pekkube.scenarios;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkube.fixture.Kubectl;
import io.pekkube.fixture.Kubectl.Result;
import io.pekkube.fixture.KubectlServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PersistentVolume controller end to end on a fresh {@code ./pekkube server} with the real kubectl:
 * {@code kubectl apply} of volumes and claims binds them (each claim to the smallest volume that fits), a
 * deleted claim's volume is Released (Retain) or deleted (Delete), a claim nothing can serve says why, and a
 * claim of a {@code pekkube.io/local-path} class waits for its pod, is provisioned as a directory in the
 * server's own node's data directory, holds what the pod's container writes, and goes away with its claim.
 * Storage-object-in-use protection: a claim deleted while a pod uses it stays Terminating (its volume Bound)
 * until the pod is gone, and a deleted volume stays Terminating while its claim is bound. HonorPVReclaimPolicy: a
 * provisioned Delete volume deleted before its claim still has its directory removed once the claim is gone.
 */
class KubectlVolumesTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static KubectlServer server;
  private static Kubectl kubectl;

  @BeforeAll
  static void startServer() throws Exception {
    server = KubectlServer.start("kubectl-volumes");
    kubectl = server.kubectl("");
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static Result ok(String... args) throws Exception {
    return kubectl.ok(args);
  }

  private static String get(String... args) throws Exception {
    return kubectl.run(args).out().strip();
  }

  private static void awaitValue(String what, String expected, String... getArgs) {
    await(what).atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> get(getArgs).equals(expected));
  }

  /** A ReadWriteOnce hostPath PersistentVolume. */
  private static String hostPathVolume(String name, String size, String reclaimPolicy, Path path) {
    return """
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: %s
        spec:
          capacity:
            storage: %s
          accessModes: ["ReadWriteOnce"]
          persistentVolumeReclaimPolicy: %s
          hostPath:
            path: %s
        """.formatted(name, size, reclaimPolicy, path);
  }

  /** A {@code pekkube.io/local-path} StorageClass: WaitForFirstConsumer, Delete. */
  private static String localPathClass(String name) {
    return """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: %s
        provisioner: pekkube.io/local-path
        volumeBindingMode: WaitForFirstConsumer
        reclaimPolicy: Delete
        """.formatted(name);
  }

  /** A ReadWriteOnce claim; {@code spec}: more fields of its spec ("field: value" lines), or none. */
  private static String claim(String name, String size, String... spec) {
    StringBuilder more = new StringBuilder();
    for (String line : spec) {
      more.append("  ").append(line).append('\n');
    }
    return """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: %s
        spec:
        %s  accessModes: ["ReadWriteOnce"]
          resources:
            requests:
              storage: %s
        """.formatted(name, more, size);
  }

  /** A pod whose one container runs {@code script} with {@code claim} mounted at {@code <mounts>/data}. */
  private static String podUsing(String name, String claim, String podField, String script, Path mounts) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %1$s
        spec:
          %2$s
          volumes:
          - name: data
            persistentVolumeClaim:
              claimName: %3$s
          containers:
          - name: %1$s
            image: busybox
            command: ["sh", "-c", "%4$s"]
            volumeMounts:
            - name: data
              mountPath: %5$s/data
        """.formatted(name, podField, claim, script, mounts);
  }

  private static Path manifest(String file, String... documents) throws Exception {
    return kubectl.write(file, String.join("---\n", documents));
  }

  @Test
  void appliedClaimsBindToTheSmallestVolumeThatFitsAndTheirVolumesAreReleasedOrDeletedWithThem() throws Exception {
    Path disks = kubectl.work().resolve("disks");
    Path manifest = manifest("static.yaml", hostPathVolume("kept-pv", "1Gi", "Retain", disks.resolve("kept")),
        hostPathVolume("scratch-pv", "5Gi", "Delete", disks.resolve("scratch")), claim("kept", "500Mi"),
        claim("scratch", "2Gi"));
    ok("apply", "-f", manifest.toString());
    awaitValue("claim kept Bound", "Bound", "get", "pvc", "kept", "-o", "jsonpath={.status.phase}");
    awaitValue("claim scratch Bound", "Bound", "get", "pvc", "scratch", "-o", "jsonpath={.status.phase}");

    Result claims = ok("get", "pvc");
    assertTrue(claims.lines().stream().anyMatch(l -> l.matches("kept\\s+Bound\\s+kept-pv\\s+1Gi\\s+RWO\\s.*")),
        claims.describe());
    assertTrue(claims.lines().stream().anyMatch(l -> l.matches("scratch\\s+Bound\\s+scratch-pv\\s+5Gi\\s+RWO\\s.*")),
        claims.describe());
    Result volumes = ok("get", "pv");
    assertTrue(volumes.lines().stream().anyMatch(
        l -> l.matches("kept-pv\\s+1Gi\\s+RWO\\s+Retain\\s+Bound\\s+default/kept\\s.*")), volumes.describe());
    assertEquals("yes yes", get("get", "pvc", "kept", "-o", "jsonpath={.metadata.annotations.pv\\.kubernetes\\.io/"
        + "bind-completed} {.metadata.annotations.pv\\.kubernetes\\.io/bound-by-controller}"));
    assertEquals("yes " + get("get", "pvc", "kept", "-o", "jsonpath={.metadata.uid}"), get("get", "pv", "kept-pv",
        "-o", "jsonpath={.metadata.annotations.pv\\.kubernetes\\.io/bound-by-controller} {.spec.claimRef.uid}"));

    ok("delete", "pvc", "kept");
    awaitValue("kept-pv Released", "Released", "get", "pv", "kept-pv", "-o", "jsonpath={.status.phase}");
    ok("delete", "pvc", "scratch");
    await("scratch-pv deleted").atMost(WAIT).pollInterval(Duration.ofMillis(500))
        .until(() -> kubectl.run("get", "pv", "scratch-pv").err()
            .contains("persistentvolumes \"scratch-pv\" not found"));
    assertEquals("Released", get("get", "pv", "kept-pv", "-o", "jsonpath={.status.phase}"), "Retain keeps it");
  }

  @Test
  void aClaimInUseStaysTerminatingUntilItsPodIsGoneAndABoundVolumeWaitsForItsClaim() throws Exception {
    Path disks = kubectl.work().resolve("disks");
    Files.createDirectories(disks.resolve("guarded"));
    Path manifest = manifest("protected.yaml",
        hostPathVolume("guarded-pv", "1Gi", "Delete", disks.resolve("guarded")),
        hostPathVolume("held-pv", "1Gi", "Retain", disks.resolve("held")),
        claim("guarded", "1Gi", "storageClassName: \"\"", "volumeName: guarded-pv"),
        claim("held", "1Gi", "storageClassName: \"\"", "volumeName: held-pv"),
        podUsing("user", "guarded", "terminationGracePeriodSeconds: 1", "while true; do sleep 0.2; done",
            kubectl.work().resolve("user-mnt")));
    ok("apply", "-f", manifest.toString());
    awaitValue("the user pod Running", "Running", "get", "pod", "user", "-o", "jsonpath={.status.phase}");
    awaitValue("claim held Bound", "Bound", "get", "pvc", "held", "-o", "jsonpath={.status.phase}");
    assertEquals("[\"kubernetes.io/pvc-protection\"]", get("get", "pvc", "guarded", "-o",
        "jsonpath={.metadata.finalizers}"));
    assertEquals("[\"kubernetes.io/pv-protection\"]", get("get", "pv", "guarded-pv", "-o",
        "jsonpath={.metadata.finalizers}"));

    ok("delete", "pvc", "guarded", "--wait=false");
    await("guarded stays Terminating while its pod runs").during(Duration.ofSeconds(3)).atMost(WAIT)
        .pollInterval(Duration.ofMillis(500)).until(() -> ok("get", "pvc", "guarded").lines().stream()
            .anyMatch(l -> l.matches("guarded\\s+Terminating\\s+guarded-pv\\s+1Gi\\s+RWO\\s.*")));
    assertEquals("Bound", get("get", "pv", "guarded-pv", "-o", "jsonpath={.status.phase}"), "not released");
    ok("delete", "pod", "user", "--wait=true", "--timeout=60s");
    await("guarded deleted after its pod").atMost(WAIT).pollInterval(Duration.ofMillis(500))
        .until(() -> kubectl.run("get", "pvc", "guarded").err()
            .contains("persistentvolumeclaims \"guarded\" not found"));
    await("guarded-pv released and deleted (Delete)").atMost(WAIT).pollInterval(Duration.ofMillis(500))
        .until(() -> kubectl.run("get", "pv", "guarded-pv").err()
            .contains("persistentvolumes \"guarded-pv\" not found"));

    ok("delete", "pv", "held-pv", "--wait=false");
    await("held-pv stays Terminating while its claim is bound").during(Duration.ofSeconds(3)).atMost(WAIT)
        .pollInterval(Duration.ofMillis(500)).until(() -> ok("get", "pv", "held-pv").lines().stream()
            .anyMatch(l -> l.matches("held-pv\\s+1Gi\\s+RWO\\s+Retain\\s+Terminating\\s+default/held\\s.*")));
    assertEquals("Bound", get("get", "pvc", "held", "-o", "jsonpath={.status.phase}"));
    ok("delete", "pvc", "held");
    await("held-pv deleted once its claim is gone").atMost(WAIT).pollInterval(Duration.ofMillis(500))
        .until(() -> kubectl.run("get", "pv", "held-pv").err().contains("persistentvolumes \"held-pv\" not found"));
  }

  @Test
  void aClaimNoVolumeFitsAndWithoutAClassSaysSo() throws Exception {
    Path manifest = manifest("lonely.yaml", claim("lonely", "100Ti", "storageClassName: \"\""));
    ok("apply", "-f", manifest.toString());
    await("FailedBinding on lonely").atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
      String described = kubectl.run("describe", "pvc", "lonely").out();
      return described.contains("FailedBinding") && described.contains(
          "no persistent volumes available for this claim and no storage class is set")
          && described.contains("persistentvolume-controller");
    });
    assertEquals("Pending", get("get", "pvc", "lonely", "-o", "jsonpath={.status.phase}"));
    ok("delete", "pvc", "lonely");
  }

  @Test
  void aLocalPathClaimIsProvisionedOnItsPodsNodeAndHoldsWhatThePodWrites() throws Exception {
    Path mounts = kubectl.work().resolve("mnt");
    Path manifest = manifest("local-path.yaml", localPathClass("local-path"),
        claim("data", "128Mi", "storageClassName: local-path"));
    ok("apply", "-f", manifest.toString());
    await("the claim waits for its first consumer").atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() ->
        kubectl.run("describe", "pvc", "data").out()
            .contains("waiting for first consumer to be created before binding"));
    assertEquals("Pending", get("get", "pvc", "data", "-o", "jsonpath={.status.phase}"));

    Path pod = manifest("writer.yaml", podUsing("writer", "data", "restartPolicy: Never",
        "echo written by the pod > " + mounts + "/data/hello.txt", mounts));
    ok("apply", "-f", pod.toString());
    awaitValue("the writer pod Succeeded", "Succeeded", "get", "pod", "writer", "-o", "jsonpath={.status.phase}");
    assertEquals("Bound", get("get", "pvc", "data", "-o", "jsonpath={.status.phase}"));

    String volume = get("get", "pvc", "data", "-o", "jsonpath={.spec.volumeName}");
    assertEquals("pvc-" + get("get", "pvc", "data", "-o", "jsonpath={.metadata.uid}"), volume);
    String node = get("get", "pod", "writer", "-o", "jsonpath={.spec.nodeName}");
    assertEquals(node + " pekkube.io/local-path Delete Bound", get("get", "pv", volume, "-o", "jsonpath="
        + "{.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]} "
        + "{.metadata.annotations.pv\\.kubernetes\\.io/provisioned-by} {.spec.persistentVolumeReclaimPolicy} "
        + "{.status.phase}"));
    Path directory = Path.of(get("get", "pv", volume, "-o", "jsonpath={.spec.hostPath.path}"));
    assertTrue(directory.startsWith(server.server().dataDir().toAbsolutePath()),
        directory + " is in the node's data dir");
    assertEquals(volume + "_default_data", directory.getFileName().toString());
    assertEquals("written by the pod\n", Files.readString(directory.resolve("hello.txt")));
    Result described = ok("describe", "pvc", "data");
    assertTrue(described.out().contains("ProvisioningSucceeded") && described.out().contains(
        "Successfully provisioned volume " + volume + " using pekkube.io/local-path"), described.describe());

    ok("delete", "pod", "writer", "--wait=true", "--timeout=60s");
    ok("delete", "pvc", "data");
    await("the provisioned volume deleted").atMost(WAIT).pollInterval(Duration.ofMillis(500))
        .until(() -> kubectl.run("get", "pv", volume).err().contains("persistentvolumes \"" + volume + "\" not found"));
    assertTrue(!Files.exists(directory), "its directory is removed on the node");
    await("the helper pods gone").atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() ->
        kubectl.run("get", "pods", "-n", "kube-system", "-o", "name").out().lines()
            .noneMatch(l -> l.contains("helper-pod-")));
  }

  @Test
  void aProvisionedVolumeDeletedBeforeItsClaimHasItsDirectoryRemovedOnceTheClaimIsGone() throws Exception {
    Path mounts = kubectl.work().resolve("early-mnt");
    Path manifest = manifest("early.yaml", localPathClass("local-path-early"),
        claim("early", "64Mi", "storageClassName: local-path-early"),
        podUsing("early-user", "early", "terminationGracePeriodSeconds: 1",
            "echo kept > " + mounts + "/data/kept.txt; while true; do sleep 0.2; done", mounts));
    ok("apply", "-f", manifest.toString());
    awaitValue("the early-user pod Running", "Running", "get", "pod", "early-user", "-o", "jsonpath={.status.phase}");
    awaitValue("claim early Bound", "Bound", "get", "pvc", "early", "-o", "jsonpath={.status.phase}");
    String volume = get("get", "pvc", "early", "-o", "jsonpath={.spec.volumeName}");
    Path directory = Path.of(get("get", "pv", volume, "-o", "jsonpath={.spec.hostPath.path}"));
    await("the pod's file in the volume's directory").atMost(WAIT).pollInterval(Duration.ofMillis(500))
        .until(() -> Files.exists(directory.resolve("kept.txt")));
    assertEquals("[\"kubernetes.io/pv-controller\",\"kubernetes.io/pv-protection\"]",
        get("get", "pv", volume, "-o", "jsonpath={.metadata.finalizers}"));

    ok("delete", "pv", volume, "--wait=false");
    await("the volume stays Terminating while its claim is bound").during(Duration.ofSeconds(3)).atMost(WAIT)
        .pollInterval(Duration.ofMillis(500)).until(() -> ok("get", "pv", volume).lines().stream()
            .anyMatch(l -> l.matches(volume + "\\s+64Mi\\s+RWO\\s+Delete\\s+Terminating\\s+default/early\\s.*")));
    assertTrue(Files.exists(directory.resolve("kept.txt")), "the pod's data stays while it runs");

    ok("delete", "pod", "early-user", "--wait=true", "--timeout=60s");
    ok("delete", "pvc", "early");
    await("the volume deleted after its claim").atMost(WAIT).pollInterval(Duration.ofMillis(500))
        .until(() -> kubectl.run("get", "pv", volume).err().contains("persistentvolumes \"" + volume + "\" not found"));
    assertTrue(!Files.exists(directory), "its reclaim policy was honoured: " + directory + " is removed");
  }
}
