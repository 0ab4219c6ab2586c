package io.pekkube.actors.scheduler;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import com.typesafe.config.ConfigFactory;
import io.pekkube.actors.scheduler.cache.VolumeCache;
import io.pekkube.actors.scheduler.framework.Framework;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.plugins.Registry;
import java.util.Random;
import io.pekkube.actors.scheduler.framework.PodInfo;

/** Pods and nodes for the scheduler's table tests, built as the API would store them. */
public final class Fixtures {
  private Fixtures() {}

  /** The settings of reference.conf. */
  public static SchedulerSettings settings() {
    return SchedulerSettings.from(ConfigFactory.load());
  }

  /** The default profile's framework, with a fixed random seed and no writers (nothing is written). */
  public static Framework defaultFramework() {
    return defaultFramework(new VolumeCache());
  }

  /** The default profile's framework over these storage objects. */
  public static Framework defaultFramework(VolumeCache volumes) {
    SchedulerSettings s = settings();
    return Registry.framework(s, s.profiles().get(0), new Registry.Handle(null, null, volumes), new Random(7));
  }

  public static PodBuilder pod(String name) {
    return new PodBuilder(name);
  }

  public static NodeBuilder node(String name) {
    return new NodeBuilder(name);
  }

  /** A {@code podAffinityTerm}: topology key and matchLabels ({@code "app", "web", ...}). */
  public static ObjectNode term(String topologyKey, String... matchLabels) {
    ObjectNode t = Json.object().put("topologyKey", topologyKey);
    ObjectNode labels = t.putObject("labelSelector").putObject("matchLabels");
    for (int i = 0; i < matchLabels.length; i += 2) {
      labels.put(matchLabels[i], matchLabels[i + 1]);
    }
    return t;
  }

  /** A {@code topologySpreadConstraint} with matchLabels ({@code "app", "web", ...}). */
  public static ObjectNode constraint(int maxSkew, String topologyKey, String whenUnsatisfiable, String... matchLabels) {
    ObjectNode c = Json.object().put("maxSkew", maxSkew).put("topologyKey", topologyKey)
        .put("whenUnsatisfiable", whenUnsatisfiable);
    ObjectNode labels = c.putObject("labelSelector").putObject("matchLabels");
    for (int i = 0; i < matchLabels.length; i += 2) {
      labels.put(matchLabels[i], matchLabels[i + 1]);
    }
    return c;
  }

  public static final class PodBuilder {
    private final ObjectNode pod = Json.object();
    private final ObjectNode spec;
    private final ObjectNode container;

    PodBuilder(String name) {
      pod.put("apiVersion", "v1").put("kind", "Pod");
      pod.putObject("metadata").put("name", name).put("namespace", "default").put("uid", "uid-" + name)
          .put("creationTimestamp", "2026-01-01T00:00:00Z");
      spec = pod.putObject("spec");
      container = spec.putArray("containers").addObject().put("name", "c").put("image", "nginx");
    }

    /** Requests of the first container, as {@code "cpu", "500m", "memory", "1Gi", ...}. */
    public PodBuilder requests(String... pairs) {
      ObjectNode requests = (ObjectNode) container.with("resources").with("requests");
      for (int i = 0; i < pairs.length; i += 2) {
        requests.put(pairs[i], pairs[i + 1]);
      }
      return this;
    }

    public PodBuilder container(String... requestPairs) {
      ObjectNode c = spec.withArray("containers").addObject().put("name", "c" + spec.path("containers").size());
      ObjectNode requests = (ObjectNode) c.with("resources").with("requests");
      for (int i = 0; i < requestPairs.length; i += 2) {
        requests.put(requestPairs[i], requestPairs[i + 1]);
      }
      return this;
    }

    public PodBuilder initContainer(boolean sidecar, String... requestPairs) {
      ObjectNode c = spec.withArray("initContainers").addObject().put("name", "i" + spec.path("initContainers").size());
      if (sidecar) {
        c.put("restartPolicy", "Always");
      }
      ObjectNode requests = (ObjectNode) c.with("resources").with("requests");
      for (int i = 0; i < requestPairs.length; i += 2) {
        requests.put(requestPairs[i], requestPairs[i + 1]);
      }
      return this;
    }

    public PodBuilder limitsOnly(String... pairs) {
      ObjectNode limits = (ObjectNode) container.with("resources").with("limits");
      for (int i = 0; i < pairs.length; i += 2) {
        limits.put(pairs[i], pairs[i + 1]);
      }
      return this;
    }

    public PodBuilder overhead(String... pairs) {
      ObjectNode o = spec.putObject("overhead");
      for (int i = 0; i < pairs.length; i += 2) {
        o.put(pairs[i], pairs[i + 1]);
      }
      return this;
    }

    public PodBuilder toleration(String key, String operator, String value, String effect) {
      spec.withArray("tolerations").addObject().put("key", key).put("operator", operator).put("value", value)
          .put("effect", effect);
      return this;
    }

    public PodBuilder nodeSelector(String key, String value) {
      ((ObjectNode) spec.with("nodeSelector")).put(key, value);
      return this;
    }

    /** A required node affinity term: {@code key op values...} (one expression per term). */
    public PodBuilder requiredTerm(String key, String operator, String... values) {
      ArrayNode terms = ((ObjectNode) spec.with("affinity").with("nodeAffinity")
          .with("requiredDuringSchedulingIgnoredDuringExecution")).withArray("nodeSelectorTerms");
      ObjectNode e = terms.addObject().putArray("matchExpressions").addObject().put("key", key).put("operator", operator);
      ArrayNode v = e.putArray("values");
      for (String value : values) {
        v.add(value);
      }
      return this;
    }

    public PodBuilder requiredFieldTerm(String nodeName) {
      ArrayNode terms = ((ObjectNode) spec.with("affinity").with("nodeAffinity")
          .with("requiredDuringSchedulingIgnoredDuringExecution")).withArray("nodeSelectorTerms");
      terms.addObject().putArray("matchFields").addObject().put("key", "metadata.name").put("operator", "In")
          .putArray("values").add(nodeName);
      return this;
    }

    public PodBuilder preferred(int weight, String key, String operator, String... values) {
      ArrayNode prefs = ((ObjectNode) spec.with("affinity").with("nodeAffinity"))
          .withArray("preferredDuringSchedulingIgnoredDuringExecution");
      ObjectNode p = prefs.addObject().put("weight", weight);
      ObjectNode e = p.putObject("preference").putArray("matchExpressions").addObject().put("key", key)
          .put("operator", operator);
      ArrayNode v = e.putArray("values");
      for (String value : values) {
        v.add(value);
      }
      return this;
    }

    public PodBuilder hostPort(int port, String protocol, String ip) {
      ObjectNode p = container.withArray("ports").addObject().put("containerPort", port).put("hostPort", port);
      if (!protocol.isEmpty()) {
        p.put("protocol", protocol);
      }
      if (!ip.isEmpty()) {
        p.put("hostIP", ip);
      }
      return this;
    }

    public PodBuilder label(String key, String value) {
      ((ObjectNode) pod.path("metadata").with("labels")).put(key, value);
      return this;
    }

    public PodBuilder namespace(String namespace) {
      ((ObjectNode) pod.path("metadata")).put("namespace", namespace);
      return this;
    }

    /** A controller owner reference ({@code "apps/v1", "ReplicaSet"}). */
    public PodBuilder controlledBy(String apiVersion, String kind) {
      ((ObjectNode) pod.path("metadata")).withArray("ownerReferences").addObject().put("apiVersion", apiVersion)
          .put("kind", kind).put("name", "owner").put("uid", "owner-uid").put("controller", true);
      return this;
    }

    public PodBuilder terminating() {
      ((ObjectNode) pod.path("metadata")).put("deletionTimestamp", "2026-01-01T00:01:00Z");
      return this;
    }

    /** A required {@code podAffinity} ({@code anti}: {@code podAntiAffinity}) term, see {@link Fixtures#term}. */
    public PodBuilder affinity(boolean anti, ObjectNode term) {
      ((ObjectNode) spec.with("affinity").with(anti ? "podAntiAffinity" : "podAffinity"))
          .withArray("requiredDuringSchedulingIgnoredDuringExecution").add(term);
      return this;
    }

    public PodBuilder preferredAffinity(boolean anti, int weight, ObjectNode term) {
      ((ObjectNode) spec.with("affinity").with(anti ? "podAntiAffinity" : "podAffinity"))
          .withArray("preferredDuringSchedulingIgnoredDuringExecution").addObject().put("weight", weight)
          .set("podAffinityTerm", term);
      return this;
    }

    /** A {@code topologySpreadConstraint}, see {@link Fixtures#constraint}. */
    public PodBuilder spread(ObjectNode constraint) {
      spec.withArray("topologySpreadConstraints").add(constraint);
      return this;
    }

    public PodBuilder priority(int priority) {
      spec.put("priority", priority);
      return this;
    }

    public PodBuilder preemptionPolicy(String policy) {
      spec.put("preemptionPolicy", policy);
      return this;
    }

    public PodBuilder nodeName(String node) {
      spec.put("nodeName", node);
      return this;
    }

    public PodBuilder schedulerName(String name) {
      spec.put("schedulerName", name);
      return this;
    }

    /** A volume of the PersistentVolumeClaim {@code claimName}. */
    public PodBuilder claimVolume(String claimName) {
      spec.withArray("volumes").addObject().put("name", "v-" + claimName).putObject("persistentVolumeClaim")
          .put("claimName", claimName);
      return this;
    }

    /** A generic ephemeral volume: its claim is {@code <pod>-<volume>}. */
    public PodBuilder ephemeralVolume(String volumeName) {
      spec.withArray("volumes").addObject().put("name", volumeName).putObject("ephemeral")
          .putObject("volumeClaimTemplate").putObject("spec").putArray("accessModes").add("ReadWriteOnce");
      return this;
    }

    public PodBuilder phase(String phase) {
      ((ObjectNode) pod.with("status")).put("phase", phase);
      return this;
    }

    public ObjectNode json() {
      return pod;
    }

    public PodInfo build() {
      return PodInfo.of(pod.deepCopy());
    }
  }

  /** A PersistentVolumeClaim in {@code default} asking 1Gi ReadWriteOnce, unbound, without a class. */
  public static ClaimBuilder claim(String name) {
    return new ClaimBuilder(name);
  }

  /** A 10Gi ReadWriteOnce PersistentVolume, without a class, reachable from every node, Available. */
  public static VolumeBuilder volume(String name) {
    return new VolumeBuilder(name);
  }

  /** A StorageClass: {@code mode} Immediate or WaitForFirstConsumer, {@code provisioner} may be empty. */
  public static ObjectNode storageClass(String name, String mode, String provisioner) {
    ObjectNode c = Json.object();
    c.put("apiVersion", "storage.k8s.io/v1").put("kind", "StorageClass");
    c.putObject("metadata").put("name", name).put("resourceVersion", "1");
    c.put("provisioner", provisioner.isEmpty() ? "kubernetes.io/no-provisioner" : provisioner);
    c.put("volumeBindingMode", mode);
    return c;
  }

  /** The class with {@code allowedTopologies}: one term, {@code key} in {@code values}. */
  public static ObjectNode storageClass(String name, String mode, String provisioner, String key, String... values) {
    ObjectNode c = storageClass(name, mode, provisioner);
    strings(c.putArray("allowedTopologies").addObject().putArray("matchLabelExpressions").addObject()
        .put("key", key), "values", values);
    return c;
  }

  /** {@code parent.field} set to an array of these strings. */
  private static void strings(ObjectNode parent, String field, String... values) {
    ArrayNode array = parent.putArray(field);
    for (String v : values) {
      array.add(v);
    }
  }

  public static final class ClaimBuilder {
    private final ObjectNode pvc = Json.object();
    private final ObjectNode meta;
    private final ObjectNode spec;

    ClaimBuilder(String name) {
      pvc.put("apiVersion", "v1").put("kind", "PersistentVolumeClaim");
      meta = pvc.putObject("metadata").put("name", name).put("namespace", "default").put("uid", "uid-" + name)
          .put("resourceVersion", "1");
      spec = pvc.putObject("spec");
      spec.putArray("accessModes").add("ReadWriteOnce");
      spec.putObject("resources").putObject("requests").put("storage", "1Gi");
    }

    public ClaimBuilder storageClass(String name) {
      spec.put("storageClassName", name);
      return this;
    }

    public ClaimBuilder request(String storage) {
      ((ObjectNode) spec.path("resources").path("requests")).put("storage", storage);
      return this;
    }

    public ClaimBuilder accessModes(String... modes) {
      strings(spec, "accessModes", modes);
      return this;
    }

    /** Names a volume without the binding being complete (a user's pre-binding). */
    public ClaimBuilder volumeName(String volume) {
      spec.put("volumeName", volume);
      return this;
    }

    /** Fully bound to {@code volume}, as the volume controller leaves it. */
    public ClaimBuilder boundTo(String volume) {
      volumeName(volume);
      ((ObjectNode) meta.with("annotations")).put("pv.kubernetes.io/bind-completed", "yes");
      ((ObjectNode) pvc.with("status")).put("phase", "Bound");
      return this;
    }

    /** {@code spec.selector} with one {@code matchLabels} pair. */
    public ClaimBuilder selector(String key, String value) {
      spec.putObject("selector").putObject("matchLabels").put(key, value);
      return this;
    }

    public ClaimBuilder volumeMode(String mode) {
      spec.put("volumeMode", mode);
      return this;
    }

    public ClaimBuilder selectedNode(String node) {
      ((ObjectNode) meta.with("annotations")).put("volume.kubernetes.io/selected-node", node);
      return this;
    }

    public ClaimBuilder deleting() {
      meta.put("deletionTimestamp", "2026-01-01T00:00:00Z");
      return this;
    }

    public ClaimBuilder phase(String phase) {
      ((ObjectNode) pvc.with("status")).put("phase", phase);
      return this;
    }

    /** Controlled by the pod with this uid (an ephemeral volume's claim). */
    public ClaimBuilder ownedBy(String podUid) {
      meta.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Pod").put("name", "owner")
          .put("uid", podUid).put("controller", true);
      return this;
    }

    public ObjectNode json() {
      return pvc;
    }
  }

  public static final class VolumeBuilder {
    private final ObjectNode pv = Json.object();
    private final ObjectNode spec;

    VolumeBuilder(String name) {
      pv.put("apiVersion", "v1").put("kind", "PersistentVolume");
      pv.putObject("metadata").put("name", name).put("resourceVersion", "1");
      spec = pv.putObject("spec");
      spec.putObject("capacity").put("storage", "10Gi");
      spec.putArray("accessModes").add("ReadWriteOnce");
      spec.putObject("hostPath").put("path", "/tmp/" + name);
      pv.putObject("status").put("phase", "Available");
    }

    public VolumeBuilder storageClass(String name) {
      spec.put("storageClassName", name);
      return this;
    }

    public VolumeBuilder capacity(String storage) {
      ((ObjectNode) spec.path("capacity")).put("storage", storage);
      return this;
    }

    public VolumeBuilder accessModes(String... modes) {
      strings(spec, "accessModes", modes);
      return this;
    }

    /** A local volume: reachable only from nodes whose {@code kubernetes.io/hostname} is one of these. */
    public VolumeBuilder onNodes(String... hostnames) {
      strings(spec.putObject("nodeAffinity").putObject("required").putArray("nodeSelectorTerms").addObject()
          .putArray("matchExpressions").addObject().put("key", "kubernetes.io/hostname").put("operator", "In"),
          "values", hostnames);
      return this;
    }

    public VolumeBuilder claimRef(String claim, String uid) {
      spec.putObject("claimRef").put("kind", "PersistentVolumeClaim").put("namespace", "default").put("name", claim)
          .put("uid", uid);
      return this;
    }

    public VolumeBuilder label(String key, String value) {
      ((ObjectNode) pv.with("metadata").with("labels")).put(key, value);
      return this;
    }

    public VolumeBuilder volumeMode(String mode) {
      spec.put("volumeMode", mode);
      return this;
    }

    public VolumeBuilder deleting() {
      ((ObjectNode) pv.with("metadata")).put("deletionTimestamp", "2026-01-01T00:00:00Z");
      return this;
    }

    public VolumeBuilder phase(String phase) {
      ((ObjectNode) pv.with("status")).put("phase", phase);
      return this;
    }

    public ObjectNode json() {
      return pv;
    }
  }

  public static final class NodeBuilder {
    private final ObjectNode node = Json.object();

    NodeBuilder(String name) {
      node.put("apiVersion", "v1").put("kind", "Node");
      node.putObject("metadata").put("name", name).putObject("labels").put("kubernetes.io/hostname", name);
      node.putObject("spec");
      allocatable("cpu", "4", "memory", "8Gi", "pods", "110", "ephemeral-storage", "100Gi");
    }

    public NodeBuilder allocatable(String... pairs) {
      ObjectNode a = (ObjectNode) node.with("status").with("allocatable");
      for (int i = 0; i < pairs.length; i += 2) {
        a.put(pairs[i], pairs[i + 1]);
      }
      return this;
    }

    public NodeBuilder label(String key, String value) {
      ((ObjectNode) node.path("metadata").path("labels")).put(key, value);
      return this;
    }

    public NodeBuilder taint(String key, String value, String effect) {
      ((ObjectNode) node.path("spec")).withArray("taints").addObject().put("key", key).put("value", value)
          .put("effect", effect);
      return this;
    }

    public NodeBuilder unschedulable() {
      ((ObjectNode) node.path("spec")).put("unschedulable", true);
      return this;
    }

    public ObjectNode json() {
      return node;
    }

    /** The node with these pods placed on it. */
    public NodeInfo with(PodInfo... pods) {
      NodeInfo info = NodeInfo.of(node.deepCopy());
      for (PodInfo p : pods) {
        info.addPod(p);
      }
      return info;
    }

    public NodeInfo build() {
      return with();
    }
  }
}
