package io.pekkube.actors.controllers.persistentvolume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.scheduler.framework.ClaimInfo;
import java.nio.file.Path;

/**
 * The built-in provisioner {@value #NAME}, after rancher's local-path-provisioner: a claim's volume is a
 * directory {@code pvc-<uid>_<namespace>_<claim>} in the local-path directory of the node the scheduler
 * selected (each kubelet advertises its own in the Node annotation {@value #NODE_DIRECTORY}), made and
 * later removed on that node by a short-lived helper pod, and given to the pod as a {@code hostPath} volume
 * whose node affinity pins it to that node. Its classes should be {@code WaitForFirstConsumer}: without a
 * selected node there is nowhere to put the directory. The builders here are pure.
 */
public final class LocalPathProvisioner {
  public static final String NAME = "pekkube.io/local-path";
  /** The Node annotation with the absolute directory under which the node's local-path volumes live. */
  public static final String NODE_DIRECTORY = "pekkube.io/local-path-directory";
  static final String HOSTNAME_LABEL = "kubernetes.io/hostname";
  static final String ANN_PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
  static final String NO_NODE = "configuration error, no node was specified";

  /** What a helper pod does in the node's local-path directory. */
  enum Action {
    CREATE("mkdir -m 0777 -p \"$VOL_DIR\""),
    DELETE("rm -rf \"$VOL_DIR\"");

    final String script;

    Action(String script) {
      this.script = script;
    }

    String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private LocalPathProvisioner() {}

  /** Kubernetes' name of a provisioned volume: {@code pvc-<claim uid>}. */
  public static String volumeName(ClaimInfo claim) {
    return "pvc-" + claim.uid();
  }

  /** The volume's directory on its node. */
  static String directory(String nodeDirectory, String volumeName, ClaimInfo claim) {
    return Path.of(nodeDirectory).resolve(volumeName + "_" + claim.namespace() + "_" + claim.name()).toString();
  }

  /**
   * The PersistentVolume for the claim, as the volume controller saves a provisioned one: bound to the claim
   * ({@code claimRef}, {@code bound-by-controller}), {@code provisioned-by} this provisioner, the claim's size,
   * access modes and class, the class's reclaim policy (with Delete, the {@link DeletionFinalizers#IN_TREE}
   * finalizer) and mount options, a {@code hostPath} directory that only {@code node} reaches.
   */
  static ObjectNode volume(ObjectNode claimObject, ObjectNode storageClass, String node, String path) {
    ClaimInfo claim = ClaimInfo.of(claimObject);
    ObjectNode pv = Json.object();
    pv.put("apiVersion", "v1").put("kind", "PersistentVolume");
    ObjectNode meta = pv.putObject("metadata").put("name", volumeName(claim));
    meta.putObject("annotations").put(ANN_PROVISIONED_BY, NAME).put(ClaimInfo.ANN_BOUND_BY_CONTROLLER, "yes");
    ObjectNode spec = pv.putObject("spec");
    String request = claimObject.path("spec").path("resources").path("requests").path("storage").asText("");
    if (!request.isEmpty()) {
      spec.putObject("capacity").put("storage", request);
    }
    spec.set("accessModes", claimObject.path("spec").path("accessModes").deepCopy());
    String reclaimPolicy = storageClass.path("reclaimPolicy").asText("Delete");
    spec.put("persistentVolumeReclaimPolicy", reclaimPolicy);
    if (reclaimPolicy.equals("Delete")) {
      meta.putArray("finalizers").add(DeletionFinalizers.IN_TREE); // kept until the directory is removed
    }
    spec.put("storageClassName", claim.storageClassName());
    spec.put("volumeMode", claim.volumeMode());
    if (storageClass.path("mountOptions").isArray()) {
      spec.set("mountOptions", storageClass.get("mountOptions").deepCopy());
    }
    spec.putObject("hostPath").put("path", path).put("type", "DirectoryOrCreate");
    ArrayNode values = spec.putObject("nodeAffinity").putObject("required").putArray("nodeSelectorTerms").addObject()
        .putArray("matchExpressions").addObject().put("key", HOSTNAME_LABEL).put("operator", "In").putArray("values");
    values.add(node);
    spec.putObject("claimRef").put("kind", "PersistentVolumeClaim").put("namespace", claim.namespace())
        .put("name", claim.name()).put("uid", claim.uid()).put("apiVersion", "v1")
        .put("resourceVersion", claim.resourceVersion());
    return pv;
  }

  /**
   * The helper pod that makes or removes {@code path} on {@code node}: bound to the node, never restarted,
   * tolerating every taint, with the parent directory mounted where it is on the host.
   */
  static ObjectNode helperPod(Action action, String volumeName, String node, String path, String image,
      String namespace) {
    String parent = Path.of(path).getParent().toString();
    ObjectNode pod = Json.object();
    pod.put("apiVersion", "v1").put("kind", "Pod");
    pod.putObject("metadata").put("name", helperPodName(action, volumeName)).put("namespace", namespace);
    ObjectNode spec = pod.putObject("spec");
    spec.put("nodeName", node).put("restartPolicy", "Never");
    spec.putArray("tolerations").addObject().put("operator", "Exists");
    ObjectNode container = spec.putArray("containers").addObject().put("name", "helper-pod").put("image", image);
    container.putArray("command").add("sh").add("-c").add("set -eu; " + action.script);
    container.putArray("env").addObject().put("name", "VOL_DIR").put("value", path);
    container.putArray("volumeMounts").addObject().put("name", "data").put("mountPath", parent);
    spec.putArray("volumes").addObject().put("name", "data").putObject("hostPath").put("path", parent)
        .put("type", "DirectoryOrCreate");
    return pod;
  }

  static String helperPodName(Action action, String volumeName) {
    return "helper-pod-" + action.word() + "-" + volumeName;
  }

  /** The node a volume of this provisioner is on (its node affinity), empty when it names none. */
  static String nodeOf(JsonNode volume) {
    for (JsonNode term : volume.path("spec").path("nodeAffinity").path("required").path("nodeSelectorTerms")) {
      for (JsonNode e : term.path("matchExpressions")) {
        if (HOSTNAME_LABEL.equals(e.path("key").asText()) && e.path("values").size() == 1) {
          return e.path("values").get(0).asText("");
        }
      }
    }
    return "";
  }

  /**
   * The directory of a volume this provisioner made, when it is one it may remove: provisioned by it, and
   * {@code <the node's local-path directory>/<volume name>_...}. Empty otherwise, so a hand-made volume that
   * only claims to be ours never gets another path removed.
   */
  static String deletablePath(JsonNode volume, String nodeDirectory) {
    if (!NAME.equals(volume.path("metadata").path("annotations").path(ANN_PROVISIONED_BY).asText(""))
        || nodeDirectory.isEmpty()) {
      return "";
    }
    String path = volume.path("spec").path("hostPath").path("path").asText("");
    if (path.isEmpty() || !path.startsWith("/")) {
      return "";
    }
    Path dir = Path.of(path).normalize();
    String volumeName = volume.path("metadata").path("name").asText("");
    boolean inPlace = dir.getParent() != null && dir.getParent().equals(Path.of(nodeDirectory).normalize())
        && dir.getFileName().toString().startsWith(volumeName + "_");
    return inPlace && !volumeName.isEmpty() ? dir.toString() : "";
  }
}
