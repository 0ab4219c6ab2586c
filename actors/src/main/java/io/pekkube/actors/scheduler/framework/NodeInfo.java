package io.pekkube.actors.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A node and the pods the scheduler counts on it (bound and assumed), with their summed requests:
 * Kubernetes' {@code framework.NodeInfo}. The node part is replaced when the Node changes; the pod part
 * changes as pods are placed and removed. A NodeInfo may exist before its Node does (pods bound to a
 * node the cache has not heard of yet); {@link #exists} is then false and the node is not a candidate.
 * Of the Node object it keeps only the fields the plugins read, not its JSON tree.
 */
public final class NodeInfo {
  private final String name;
  private boolean exists;
  private Map<String, String> labels = Map.of();
  private List<Taint> taints = List.of();
  private boolean unschedulable;
  private Resources allocatable = new Resources();
  private final Resources requested = new Resources();
  private final Resources nonZeroRequested = new Resources();
  private final List<PodInfo> pods = new ArrayList<>();
  private final List<HostPort> usedPorts = new ArrayList<>();
  /** The pods with any pod (anti-)affinity term, and those with a required anti-affinity term: the few that inter-pod affinity has to look at for every incoming pod. */
  private final List<PodInfo> podsWithAffinity = new ArrayList<>(0);
  private final List<PodInfo> podsWithRequiredAntiAffinity = new ArrayList<>(0);
  /** Bumped on every change, so a snapshot can tell what is stale. */
  private long generation;

  public NodeInfo(String name) {
    this.name = name;
  }

  /** A NodeInfo for a Node object with no pods yet. */
  public static NodeInfo of(ObjectNode node) {
    NodeInfo info = new NodeInfo(node.path("metadata").path("name").asText());
    info.setNode(node);
    return info;
  }

  public void setNode(ObjectNode node) {
    exists = true;
    JsonNode spec = node.path("spec");
    labels = PodInfo.stringMap(node.path("metadata").path("labels"));
    taints = Taint.listOf(spec.path("taints"));
    unschedulable = spec.path("unschedulable").asBoolean(false);
    JsonNode status = node.path("status");
    allocatable = Resources.of(status.has("allocatable") ? status.path("allocatable") : status.path("capacity"));
    generation++;
  }

  public void clearNode() {
    exists = false;
    generation++;
  }

  public void addPod(PodInfo pod) {
    pods.add(pod);
    requested.add(pod.requests(), 1);
    nonZeroRequested.add(pod.nonZeroRequests(), 1);
    usedPorts.addAll(pod.hostPorts());
    if (pod.podAffinity().any()) {
      podsWithAffinity.add(pod);
      if (!pod.podAffinity().requiredAnti().isEmpty()) {
        podsWithRequiredAntiAffinity.add(pod);
      }
    }
    generation++;
  }

  /** Removes the pod with this key; false when it was not here. */
  public boolean removePod(String key) {
    for (int i = 0; i < pods.size(); i++) {
      PodInfo p = pods.get(i);
      if (p.key().equals(key)) {
        pods.remove(i);
        requested.add(p.requests(), -1);
        nonZeroRequested.add(p.nonZeroRequests(), -1);
        for (HostPort port : p.hostPorts()) {
          usedPorts.remove(port);
        }
        if (p.podAffinity().any()) {
          podsWithAffinity.removeIf(x -> x == p);
          podsWithRequiredAntiAffinity.removeIf(x -> x == p);
        }
        generation++;
        return true;
      }
    }
    return false;
  }

  /** A copy whose pods can be changed without touching this one (what-if evaluation in preemption). */
  public NodeInfo copy() {
    NodeInfo c = new NodeInfo(name);
    c.exists = exists;
    c.labels = labels;
    c.taints = taints;
    c.unschedulable = unschedulable;
    c.allocatable = allocatable;
    pods.forEach(c::addPod);
    return c;
  }

  public String name() {
    return name;
  }

  /** Whether the Node object exists (else the NodeInfo only counts pods bound to a node not seen yet). */
  public boolean exists() {
    return exists;
  }

  public Map<String, String> labels() {
    return labels;
  }

  public List<Taint> taints() {
    return taints;
  }

  public boolean unschedulable() {
    return unschedulable;
  }

  public Resources allocatable() {
    return allocatable;
  }

  public Resources requested() {
    return requested;
  }

  public Resources nonZeroRequested() {
    return nonZeroRequested;
  }

  public List<PodInfo> pods() {
    return pods;
  }

  public List<PodInfo> podsWithAffinity() {
    return podsWithAffinity;
  }

  public List<PodInfo> podsWithRequiredAntiAffinity() {
    return podsWithRequiredAntiAffinity;
  }

  public List<HostPort> usedPorts() {
    return usedPorts;
  }

  public long generation() {
    return generation;
  }

  @Override
  public String toString() {
    return "NodeInfo[" + name + ", pods=" + pods.size() + ", requested=" + requested + "]";
  }
}
