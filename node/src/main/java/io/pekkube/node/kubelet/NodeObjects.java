package io.pekkube.node.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.controllers.persistentvolume.LocalPathProvisioner;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The Node and Lease objects a kubelet writes, as Kubernetes' kubelet fills them: labels, addresses,
 * capacity and allocatable, nodeInfo, daemonEndpoints and the four conditions (Ready, MemoryPressure,
 * DiskPressure, PIDPressure, each keeping its lastTransitionTime while its status stays). Pure.
 */
public final class NodeObjects {
  public static final String LEASE_NAMESPACE = "kube-node-lease";
  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * Who the node is: name, address, kubelet port and version facts, and the directory its local-path
   * volumes go to (empty: it keeps none, as a simulated node).
   */
  public record Identity(String name, String internalIp, String hostname, int kubeletPort, String kubeletVersion,
      String runtimeVersion, String localPathDirectory) {}

  private NodeObjects() {}

  public static ObjectNode node(Identity id) {
    ObjectNode node = Json.object();
    node.put("apiVersion", "v1");
    node.put("kind", "Node");
    ObjectNode meta = node.putObject("metadata");
    meta.put("name", id.name());
    ObjectNode labels = meta.putObject("labels");
    labels.put("kubernetes.io/hostname", id.name());
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", arch());
    labels.put("beta.kubernetes.io/os", "linux");
    labels.put("beta.kubernetes.io/arch", arch());
    ObjectNode annotations = meta.putObject("annotations").put("node.alpha.kubernetes.io/ttl", "0");
    if (!id.localPathDirectory().isEmpty()) {
      annotations.put(LocalPathProvisioner.NODE_DIRECTORY, id.localPathDirectory());
    }
    node.putObject("spec");
    return node;
  }

  /**
   * A node registered before, with this kubelet's local-path directory when its annotation says otherwise
   * (the kubelet brings it up to date, as it does its other annotations); empty when it is right.
   */
  public static Optional<ObjectNode> withLocalPathDirectory(ObjectNode node, Identity id) {
    JsonNode annotations = node.path("metadata").path("annotations");
    if (id.localPathDirectory().equals(annotations.path(LocalPathProvisioner.NODE_DIRECTORY).asText(""))) {
      return Optional.empty();
    }
    ObjectNode annotated = node.deepCopy();
    ObjectNode a = (ObjectNode) annotated.with("metadata").with("annotations");
    if (id.localPathDirectory().isEmpty()) {
      a.remove(LocalPathProvisioner.NODE_DIRECTORY);
    } else {
      a.put(LocalPathProvisioner.NODE_DIRECTORY, id.localPathDirectory());
    }
    return Optional.of(annotated);
  }

  public static ObjectNode status(Identity id, NodeResources resources, JsonNode previous, Instant now) {
    ObjectNode status = Json.object();
    ObjectNode capacity = status.putObject("capacity");
    capacity.put("cpu", cpu(resources.cpuMillis()));
    capacity.put("memory", kibibytes(resources.memoryBytes()));
    capacity.put("ephemeral-storage", kibibytes(resources.ephemeralStorageBytes()));
    capacity.put("pods", Integer.toString(resources.pods()));
    status.set("allocatable", capacity.deepCopy());
    ArrayNode conditions = status.putArray("conditions");
    condition(conditions, previous, "MemoryPressure", resources.memoryPressure(),
        resources.memoryPressure() ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
        resources.memoryPressure() ? "kubelet has insufficient memory available"
            : "kubelet has sufficient memory available", now);
    condition(conditions, previous, "DiskPressure", resources.diskPressure(),
        resources.diskPressure() ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure",
        resources.diskPressure() ? "kubelet has disk pressure" : "kubelet has no disk pressure", now);
    condition(conditions, previous, "PIDPressure", false, "KubeletHasSufficientPID",
        "kubelet has sufficient PID available", now);
    condition(conditions, previous, "Ready", true, "KubeletReady", "kubelet is posting ready status", now);
    ArrayNode addresses = status.putArray("addresses");
    addresses.addObject().put("type", "InternalIP").put("address", id.internalIp());
    addresses.addObject().put("type", "Hostname").put("address", id.hostname());
    status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", id.kubeletPort());
    ObjectNode info = status.putObject("nodeInfo");
    info.put("machineID", id.name());
    info.put("systemUUID", java.util.UUID.nameUUIDFromBytes(id.name().getBytes()).toString());
    info.put("bootID", "");
    info.put("kernelVersion", System.getProperty("os.version", ""));
    info.put("osImage", "Pekkube worker (" + System.getProperty("os.name", "Linux") + ")");
    info.put("containerRuntimeVersion", id.runtimeVersion());
    info.put("kubeletVersion", id.kubeletVersion());
    info.put("kubeProxyVersion", "");
    info.put("operatingSystem", "linux");
    info.put("architecture", arch());
    return status;
  }

  /** Whether two statuses differ in more than their heartbeat times. */
  public static boolean changed(JsonNode previous, JsonNode next) {
    return !withoutHeartbeats(previous).equals(withoutHeartbeats(next));
  }

  private static JsonNode withoutHeartbeats(JsonNode status) {
    JsonNode copy = status.deepCopy();
    copy.path("conditions").forEach(c -> ((ObjectNode) c).remove("lastHeartbeatTime"));
    if (copy instanceof ObjectNode o) {
      o.remove("nodeInfo");
    }
    return copy;
  }

  private static void condition(ArrayNode conditions, JsonNode previous, String type, boolean value, String reason,
      String message, Instant now) {
    String status = value ? "True" : "False";
    String since = time(now);
    for (JsonNode c : previous.path("conditions")) {
      if (type.equals(c.path("type").asText()) && status.equals(c.path("status").asText())) {
        since = c.path("lastTransitionTime").asText(since);
      }
    }
    conditions.addObject().put("type", type).put("status", status).put("lastHeartbeatTime", time(now))
        .put("lastTransitionTime", since).put("reason", reason).put("message", message);
  }

  /** The node's Lease (coordination.k8s.io/v1), owned by its Node. */
  public static ObjectNode lease(String nodeName, String nodeUid, Duration duration, Instant renewed) {
    ObjectNode lease = Json.object();
    lease.put("apiVersion", "coordination.k8s.io/v1");
    lease.put("kind", "Lease");
    ObjectNode meta = lease.putObject("metadata");
    meta.put("name", nodeName);
    meta.put("namespace", LEASE_NAMESPACE);
    if (!nodeUid.isEmpty()) {
      meta.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Node").put("name", nodeName)
          .put("uid", nodeUid);
    }
    ObjectNode spec = lease.putObject("spec");
    spec.put("holderIdentity", nodeName);
    spec.put("leaseDurationSeconds", duration.toSeconds());
    spec.put("renewTime", MICRO_TIME.format(renewed));
    return lease;
  }

  public static String microTime(Instant t) {
    return MICRO_TIME.format(t);
  }

  static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String cpu(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
  }

  private static String kibibytes(long bytes) {
    return (bytes / 1024) + "Ki";
  }

  /** GOARCH of the host. */
  static String arch() {
    String arch = System.getProperty("os.arch", "amd64");
    return switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
  }
}
