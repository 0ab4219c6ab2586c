package io.pekkube.actors.scheduler.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.scheduler.framework.LabelSelector;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.PlacedTerms;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.PodQuery;
import io.pekkube.actors.scheduler.framework.Snapshot;
import io.pekkube.actors.scheduler.framework.TopologyTally;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The scheduler's view of the cluster, Kubernetes' scheduler cache: every Node and the pods placed on
 * it, fed by the node and pod watches. A pod the scheduler has decided on but whose binding is not
 * written yet is <em>assumed</em> on its node, so the next decisions count it and do not double-book the
 * node; the watch confirming the binding replaces the assumption, a failed binding forgets it. As the
 * cycle's {@link Snapshot} it also finds placed pods by label (an index by {@code key=value}), so that
 * pod affinity and topology spreading count the pods a selector picks without scanning every node, and
 * knows the namespaces' labels for namespace selectors. The per-domain counts those plugins ask for
 * ({@link #tally}) are kept, for the most recently asked queries, as pods and nodes change, so that a cycle
 * reads them instead of recounting every pod. The storage objects volume binding decides on
 * are in {@link #volumes}.
 */
public final class SchedulerCache implements Snapshot {
  private record Placed(PodInfo pod, String nodeName, boolean assumed) {}

  private final Map<String, NodeInfo> nodes = new HashMap<>();
  private final Map<String, Placed> pods = new HashMap<>();
  /** {@code key=value} → the placed pods with that label, by pod key. */
  private final Map<String, Map<String, Placed>> byLabel = new HashMap<>();
  private final Map<String, Map<String, String>> namespaces = new HashMap<>();
  /** The nodes with pods with pod (anti-)affinity, so that pods without terms need not visit every node. */
  private final Map<String, NodeInfo> withPodAffinity = new HashMap<>();
  /** The nodes that exist, in a stable order, rebuilt only when nodes come or go. */
  private List<NodeInfo> nodeList = List.of();
  private boolean nodeListStale;
  /** Each existing node once, per topology pair: the domains there are. */
  private final TopologyTally nodeTally = new TopologyTally();
  /** The tallies of the queries asked most recently, updated on every change; least recently asked go. */
  private final Map<PodQuery, TopologyTally> tallies = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<PodQuery, TopologyTally> eldest) {
      return size() > MAX_TALLIES;
    }
  };
  static final int MAX_TALLIES = 64;
  private final PlacedTerms placedTerms = new PlacedTerms();
  private final VolumeCache volumes = new VolumeCache();

  /** The whole current set of Nodes (after a LIST): replaces the known ones. */
  public void replaceNodes(Collection<ObjectNode> current) {
    Map<String, ObjectNode> byName = new HashMap<>();
    current.forEach(n -> byName.put(n.path("metadata").path("name").asText(), n));
    for (NodeInfo info : new ArrayList<>(nodes.values())) {
      if (!byName.containsKey(info.name()) && info.exists()) {
        removeNode(info.name());
      }
    }
    byName.values().forEach(this::upsertNode);
  }

  public void upsertNode(ObjectNode node) {
    String name = node.path("metadata").path("name").asText();
    NodeInfo info = nodes.computeIfAbsent(name, NodeInfo::new);
    boolean existed = info.exists();
    if (!existed) {
      nodeListStale = true;
    }
    detach(info);
    info.setNode(node);
    attach(info);
    if (!existed) {
      nodeTally.add(info, 1);
    }
  }

  public void removeNode(String name) {
    NodeInfo info = nodes.get(name);
    if (info == null) {
      return;
    }
    boolean existed = info.exists();
    detach(info);
    info.clearNode();
    attach(info);
    if (existed) {
      nodeTally.add(info, -1);
    }
    if (info.pods().isEmpty()) {
      nodes.remove(name);
    }
    nodeListStale = true;
  }

  /** The whole current set of Namespaces (after a LIST). */
  public void replaceNamespaces(Collection<ObjectNode> current) {
    namespaces.clear();
    current.forEach(this::upsertNamespace);
  }

  public void upsertNamespace(ObjectNode namespace) {
    JsonNode meta = namespace.path("metadata");
    namespaces.put(meta.path("name").asText(), PodInfo.stringMap(meta.path("labels")));
  }

  public void removeNamespace(String name) {
    namespaces.remove(name);
  }

  /** The whole current set of pods (after a LIST): bound ones are placed; assumptions survive. */
  public void replacePods(Collection<PodInfo> current) {
    Map<String, PodInfo> byKey = new HashMap<>();
    current.forEach(p -> byKey.put(p.key(), p));
    for (Placed p : new ArrayList<>(pods.values())) {
      if (!p.assumed() && !byKey.containsKey(p.pod().key())) {
        removePod(p.pod().key());
      }
    }
    byKey.values().forEach(this::updatePod);
  }

  /** A pod as the API has it now: placed on its node if bound and running, else not counted. */
  public void updatePod(PodInfo pod) {
    Placed old = pods.get(pod.key());
    boolean counts = pod.bound() && !pod.finished();
    if (old != null && old.assumed() && !counts) {
      return; // the binding is in flight; the API has not caught up yet
    }
    if (old != null) {
      unplace(old);
    }
    if (counts) {
      place(new Placed(pod, pod.nodeName(), false));
    }
  }

  public void removePod(String key) {
    Placed old = pods.get(key);
    if (old != null) {
      unplace(old);
    }
  }

  /** Count the pod on {@code nodeName} before its binding is written. */
  public void assume(PodInfo pod, String nodeName) {
    Placed old = pods.get(pod.key());
    if (old != null) {
      unplace(old);
    }
    place(new Placed(pod, nodeName, true));
  }

  /** The binding failed: stop counting the assumed pod. */
  public void forget(String key) {
    Placed old = pods.get(key);
    if (old != null && old.assumed()) {
      unplace(old);
    }
  }

  /** The pod as the cache counts it on a node (bound or assumed), or null. */
  public PodInfo placed(String key) {
    Placed p = pods.get(key);
    return p == null ? null : p.pod();
  }

  public boolean isAssumed(String key) {
    Placed p = pods.get(key);
    return p != null && p.assumed();
  }

  /** The nodes that exist (with a Node object), for a cycle. Do not keep it across messages. */
  @Override
  public List<NodeInfo> nodes() {
    if (nodeListStale) {
      List<NodeInfo> list = new ArrayList<>(nodes.size());
      for (NodeInfo n : nodes.values()) {
        if (n.exists()) {
          list.add(n);
        }
      }
      list.sort((a, b) -> a.name().compareTo(b.name()));
      nodeList = list;
      nodeListStale = false;
    }
    return nodeList;
  }

  @Override
  public Collection<NodeInfo> nodesWithPodAffinity() {
    return withPodAffinity.values();
  }

  @Override
  public Map<String, Map<String, String>> namespaces() {
    return Collections.unmodifiableMap(namespaces);
  }

  /** From the label index when the selector pins a label; else a scan of every node. */
  @Override
  public void forEachMatchingPod(LabelSelector selector, BiConsumer<PodInfo, NodeInfo> action) {
    String[] label = selector.requiredLabel();
    if (label == null) {
      Snapshot.super.forEachMatchingPod(selector, action);
      return;
    }
    Map<String, Placed> candidates = byLabel.get(label[0] + "=" + label[1]);
    if (candidates == null) {
      return;
    }
    for (Placed p : candidates.values()) {
      NodeInfo node = nodes.get(p.nodeName());
      if (node != null && node.exists() && selector.matches(p.pod().labels())) {
        action.accept(p.pod(), node);
      }
    }
  }

  /** Kept up to date from the first time it is asked for until {@link #MAX_TALLIES} others are asked after it. */
  @Override
  public TopologyTally tally(PodQuery query) {
    TopologyTally tally = tallies.get(query);
    if (tally == null) {
      tally = new TopologyTally();
      String[] label = query.selector().requiredLabel();
      Collection<Placed> candidates = label == null ? pods.values()
          : byLabel.getOrDefault(label[0] + "=" + label[1], Map.of()).values();
      for (Placed p : candidates) {
        if (query.matches(p.pod())) {
          tally.add(nodes.get(p.nodeName()), 1);
        }
      }
      tallies.put(query, tally);
    }
    return tally;
  }

  @Override
  public PlacedTerms placedTerms() {
    return placedTerms;
  }

  @Override
  public TopologyTally nodeTally() {
    return nodeTally;
  }

  public NodeInfo node(String name) {
    return nodes.get(name);
  }

  public VolumeCache volumes() {
    return volumes;
  }

  public int podCount() {
    return pods.size();
  }

  private void place(Placed p) {
    pods.put(p.pod().key(), p);
    NodeInfo info = nodes.computeIfAbsent(p.nodeName(), NodeInfo::new);
    info.addPod(p.pod());
    count(p.pod(), info, 1);
    if (p.pod().podAffinity().any()) {
      withPodAffinity.put(info.name(), info);
    }
    p.pod().labels().forEach((k, v) -> byLabel.computeIfAbsent(k + "=" + v, x -> new HashMap<>()).put(p.pod().key(), p));
  }

  private void unplace(Placed p) {
    pods.remove(p.pod().key());
    p.pod().labels().forEach((k, v) -> {
      String label = k + "=" + v;
      Map<String, Placed> withLabel = byLabel.get(label);
      if (withLabel != null && withLabel.remove(p.pod().key()) != null && withLabel.isEmpty()) {
        byLabel.remove(label);
      }
    });
    NodeInfo info = nodes.get(p.nodeName());
    if (info != null) {
      count(p.pod(), info, -1);
      info.removePod(p.pod().key());
      if (info.podsWithAffinity().isEmpty()) {
        withPodAffinity.remove(info.name());
      }
      if (!info.exists() && info.pods().isEmpty()) {
        nodes.remove(p.nodeName());
      }
    }
  }

  private void count(PodInfo pod, NodeInfo node, int delta) {
    placedTerms.add(pod, node, delta);
    for (Map.Entry<PodQuery, TopologyTally> e : tallies.entrySet()) {
      if (e.getKey().matches(pod)) {
        e.getValue().add(node, delta);
      }
    }
  }

  /** Before a node's labels change (or it comes or goes): its counts leave their domains; {@link #attach} after. */
  private void detach(NodeInfo node) {
    nodeTally.detach(node);
    tallies.values().forEach(t -> t.detach(node));
    placedTerms.detach(node);
  }

  private void attach(NodeInfo node) {
    nodeTally.attach(node);
    tallies.values().forEach(t -> t.attach(node));
    placedTerms.attach(node);
  }
}
