package io.pekkube.actors.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the scheduler needs of a pod, parsed once when the pod is seen so that filtering thousands of
 * nodes reads fields, not JSON. It keeps only those fields, never the pod's JSON tree: the scheduler's
 * cache holds one per placed pod (tens of thousands), and a parsed pod tree costs about 25 KB.
 * {@link #requests} is Kubernetes' {@code PodRequests}: the larger of the containers' sum and any init
 * container (restartable init containers, "sidecars", add to both), plus the pod overhead;
 * {@link #nonZeroRequests} is the same with 100m cpu and 200Mi memory for containers that ask for none,
 * which is what the scoring plugins use. {@link #controller} is the controller owner reference as
 * {@code apiVersion/kind} ({@code apps/v1/ReplicaSet}), empty when there is none.
 */
public record PodInfo(
    String namespace,
    String name,
    String uid,
    String resourceVersion,
    String nodeName,
    String nominatedNodeName,
    String schedulerName,
    String phase,
    boolean terminating,
    int priority,
    String preemptionPolicy,
    long createdAtMillis,
    Map<String, String> labels,
    Resources requests,
    Resources nonZeroRequests,
    List<Toleration> tolerations,
    Map<String, String> nodeSelector,
    List<NodeSelector> requiredNodeAffinity,
    List<WeightedTerm> preferredNodeAffinity,
    List<HostPort> hostPorts,
    PodAffinity podAffinity,
    List<SpreadConstraint> spreadConstraints,
    List<ClaimVolume> claimVolumes,
    String controller) {

  public static final String DEFAULT_SCHEDULER = "default-scheduler";
  public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
  public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

  /**
   * A volume backed by a PersistentVolumeClaim: a {@code persistentVolumeClaim} volume names its claim; an
   * {@code ephemeral} one's claim is {@code <pod>-<volume>}, created for the pod.
   */
  public record ClaimVolume(String claimName, boolean ephemeral) {}

  /** A preferred node affinity term and its weight. */
  public record WeightedTerm(int weight, NodeSelector term) {}

  public String key() {
    return namespace + "/" + name;
  }

  public boolean bound() {
    return !nodeName.isEmpty();
  }

  /** Succeeded and Failed pods hold no resources; the scheduler's cache leaves them out. */
  public boolean finished() {
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  public static PodInfo of(ObjectNode pod) {
    JsonNode meta = pod.path("metadata");
    JsonNode spec = pod.path("spec");
    String scheduler = spec.path("schedulerName").asText("");
    JsonNode affinity = spec.path("affinity").path("nodeAffinity");
    List<NodeSelector> required = null;
    JsonNode requiredTerms = affinity.path("requiredDuringSchedulingIgnoredDuringExecution");
    if (requiredTerms.isObject()) {
      required = new ArrayList<>();
      for (JsonNode term : requiredTerms.path("nodeSelectorTerms")) {
        required.add(NodeSelector.of(term));
      }
      required = List.copyOf(required);
    }
    List<WeightedTerm> preferred = new ArrayList<>();
    for (JsonNode p : affinity.path("preferredDuringSchedulingIgnoredDuringExecution")) {
      preferred.add(new WeightedTerm(p.path("weight").asInt(0), NodeSelector.of(p.path("preference"))));
    }
    String namespace = meta.path("namespace").asText("");
    Map<String, String> labels = stringMap(meta.path("labels"));
    String controller = "";
    for (JsonNode ref : meta.path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) {
        controller = ref.path("apiVersion").asText("") + "/" + ref.path("kind").asText("");
      }
    }
    String name = meta.path("name").asText("");
    return new PodInfo(namespace, name, meta.path("uid").asText(""), meta.path("resourceVersion").asText(""),
        spec.path("nodeName").asText(""),
        pod.path("status").path("nominatedNodeName").asText(""),
        scheduler.isEmpty() ? DEFAULT_SCHEDULER : scheduler, pod.path("status").path("phase").asText(""),
        meta.hasNonNull("deletionTimestamp"), spec.path("priority").asInt(0),
        spec.path("preemptionPolicy").asText("PreemptLowerPriority"), millis(meta.path("creationTimestamp").asText("")),
        labels, requests(spec, false), requests(spec, true),
        Toleration.listOf(spec.path("tolerations")), stringMap(spec.path("nodeSelector")), required,
        List.copyOf(preferred), hostPorts(spec), PodAffinity.of(spec.path("affinity"), namespace, labels),
        SpreadConstraint.listOf(spec.path("topologySpreadConstraints"), labels), claimVolumes(spec, name), controller);
  }

  private static List<ClaimVolume> claimVolumes(JsonNode spec, String podName) {
    List<ClaimVolume> claims = null;
    for (JsonNode volume : spec.path("volumes")) {
      ClaimVolume claim = volume.has("persistentVolumeClaim")
          ? new ClaimVolume(volume.path("persistentVolumeClaim").path("claimName").asText(""), false)
          : volume.has("ephemeral") ? new ClaimVolume(podName + "-" + volume.path("name").asText(""), true) : null;
      if (claim != null) {
        if (claims == null) {
          claims = new ArrayList<>(2);
        }
        claims.add(claim);
      }
    }
    return claims == null ? List.of() : List.copyOf(claims);
  }

  /** Kubernetes' {@code resourcehelper.PodRequests} (with {@code nonZero}: {@code GetNonzeroRequests} per container). */
  static Resources requests(JsonNode spec, boolean nonZero) {
    Resources sum = new Resources();
    for (JsonNode c : spec.path("containers")) {
      sum.add(containerRequests(c, nonZero), 1);
    }
    Resources restartable = new Resources();
    Resources init = new Resources();
    for (JsonNode c : spec.path("initContainers")) {
      Resources r = containerRequests(c, nonZero);
      if ("Always".equals(c.path("restartPolicy").asText())) {
        sum.add(r, 1);
        restartable.add(r, 1);
        init.max(restartable);
      } else {
        r.add(restartable, 1);
        init.max(r);
      }
    }
    sum.max(init);
    sum.addList(spec.path("overhead"));
    sum.pods = 1;
    return sum;
  }

  private static Resources containerRequests(JsonNode container, boolean nonZero) {
    JsonNode resources = container.path("resources");
    // Defaulting copies limits into absent requests; a pod stored without defaulting is read the same way.
    Resources r = Resources.of(resources.path("limits"));
    Resources explicit = Resources.of(resources.path("requests"));
    for (Iterator<String> it = resources.path("requests").fieldNames(); it.hasNext(); ) {
      String name = it.next();
      r.set(name, explicit.get(name));
    }
    if (nonZero) {
      boolean hasCpu = resources.path("requests").has(Resources.CPU) || resources.path("limits").has(Resources.CPU);
      boolean hasMemory = resources.path("requests").has(Resources.MEMORY)
          || resources.path("limits").has(Resources.MEMORY);
      if (!hasCpu) {
        r.milliCpu = DEFAULT_MILLI_CPU_REQUEST;
      }
      if (!hasMemory) {
        r.memory = DEFAULT_MEMORY_REQUEST;
      }
    }
    return r;
  }

  private static List<HostPort> hostPorts(JsonNode spec) {
    List<HostPort> ports = null;
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode c : spec.path(list)) {
        for (JsonNode p : c.path("ports")) {
          int hostPort = p.path("hostPort").asInt(0);
          if (hostPort <= 0) {
            continue;
          }
          if (ports == null) {
            ports = new ArrayList<>(2);
          }
          String ip = p.path("hostIP").asText("");
          String protocol = p.path("protocol").asText("");
          ports.add(new HostPort(ip.isEmpty() ? HostPort.ANY_IP : ip, protocol.isEmpty() ? "TCP" : protocol, hostPort));
        }
      }
    }
    return ports == null ? List.of() : List.copyOf(ports);
  }

  public static Map<String, String> stringMap(JsonNode object) {
    if (!object.isObject() || object.isEmpty()) {
      return Map.of();
    }
    Map<String, String> map = new HashMap<>();
    object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return Map.copyOf(map);
  }

  private static long millis(String timestamp) {
    try {
      return timestamp.isEmpty() ? 0 : Instant.parse(timestamp).toEpochMilli();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  /** For tests and benchmarks: a pod from its JSON text. */
  public static PodInfo parse(String json) {
    return of(Json.parseTrusted(json));
  }

}
