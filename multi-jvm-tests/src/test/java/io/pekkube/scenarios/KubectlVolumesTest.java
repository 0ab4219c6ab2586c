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

  @Test
  void appliedClaimsBindToTheSmallestVolumeThatFitsAndTheirVolumesAreReleasedOrDeletedWithThem() throws Exception {
    Path disks = kubectl.work().resolve("disks");
    Path manifest = kubectl.write("static.yaml", """
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: kept-pv
        spec:
          capacity:
            storage: 1Gi
          accessModes: ["ReadWriteOnce"]
          persistentVolumeReclaimPolicy: Retain
          hostPath:
            path: %1$s/kept
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: scratch-pv
        spec:
          capacity:
            storage: 5Gi
          accessModes: ["ReadWriteOnce"]
          persistentVolumeReclaimPolicy: Delete
          hostPath:
            path: %1$s/scratch
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: kept
        spec:
          accessModes: ["ReadWriteOnce"]
          resources:
            requests:
              storage: 500Mi
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: scratch
        spec:
          accessModes: ["ReadWriteOnce"]
          resources:
            requests:
              storage: 2Gi
        """.formatted(disks));
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
  void aClaimNoVolumeFitsAndWithoutAClassSaysSo() throws Exception {
    Path manifest = kubectl.write("lonely.yaml", """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: lonely
        spec:
          storageClassName: ""
          accessModes: ["ReadWriteOnce"]
          resources:
            requests:
              storage: 100Ti
        """);
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
    String mounts = kubectl.work().resolve("mnt").toString();
    Path manifest = kubectl.write("local-path.yaml", """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: local-path
        provisioner: pekkube.io/local-path
        volumeBindingMode: WaitForFirstConsumer
        reclaimPolicy: Delete
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: data
        spec:
          storageClassName: local-path
          accessModes: ["ReadWriteOnce"]
          resources:
            requests:
              storage: 128Mi
        """);
    ok("apply", "-f", manifest.toString());
    await("the claim waits for its first consumer").atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() ->
        kubectl.run("describe", "pvc", "data").out()
            .contains("waiting for first consumer to be created before binding"));
    assertEquals("Pending", get("get", "pvc", "data", "-o", "jsonpath={.status.phase}"));

    Path pod = kubectl.write("writer.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: writer
        spec:
          restartPolicy: Never
          volumes:
          - name: data
            persistentVolumeClaim:
              claimName: data
          containers:
          - name: writer
            image: busybox
            command: ["sh", "-c", "echo written by the pod > %1$s/data/hello.txt"]
            volumeMounts:
            - name: data
              mountPath: %1$s/data
        """.formatted(mounts));
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
}
