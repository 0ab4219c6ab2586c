package io.pekkube.actors.controllers.garbagecollector;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.controllers.runtime.ObjectRef;
import io.pekkube.actors.resources.DeletionFinalizers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The garbage collector's index, rebuilt from LIST and kept by WATCH: only objects that matter to it
 * (those with owner references, and owners being deleted with a garbage-collection finalizer), and
 * for every owner uid the dependents that name it. Owners themselves are not indexed; they are read
 * when needed. Owned by one actor, not thread-safe.
 */
public final class DependencyGraph {

  /** One indexed object. */
  public record Node(ObjectRef ref, String uid, List<OwnerReference> owners, boolean awaitingGc) {
    public boolean hasOwners() {
      return !owners.isEmpty();
    }
  }

  private final Map<String, Node> nodes = new HashMap<>();
  private final Map<String, Set<String>> dependentsByOwner = new HashMap<>();

  /** The node for {@code object}, or null when the garbage collector has no reason to keep it. */
  public static Node nodeOf(ResourceType type, JsonNode object) {
    List<OwnerReference> owners = OwnerReference.of(object);
    List<String> finalizers = DeletionFinalizers.finalizers(object);
    boolean awaitingGc = object.path("metadata").hasNonNull("deletionTimestamp")
        && (finalizers.contains(DeletionFinalizers.ORPHAN) || finalizers.contains(DeletionFinalizers.FOREGROUND));
    if (owners.isEmpty() && !awaitingGc) {
      return null;
    }
    return new Node(ObjectRef.of(type, object), object.path("metadata").path("uid").asText(""), owners, awaitingGc);
  }

  /** Stores (or, with null, forgets) the node of {@code uid}; answers the node it replaced, if any. */
  public Node put(String uid, Node node) {
    Node previous = node == null ? nodes.remove(uid) : nodes.put(uid, node);
    if (previous != null) {
      for (OwnerReference r : previous.owners()) {
        Set<String> deps = dependentsByOwner.get(r.uid());
        if (deps != null) {
          deps.remove(uid);
          if (deps.isEmpty()) {
            dependentsByOwner.remove(r.uid());
          }
        }
      }
    }
    if (node != null) {
      for (OwnerReference r : node.owners()) {
        dependentsByOwner.computeIfAbsent(r.uid(), k -> new LinkedHashSet<>()).add(uid);
      }
    }
    return previous;
  }

  public Node get(String uid) {
    return nodes.get(uid);
  }

  /** The dependents naming {@code ownerUid}, with their reference's blockOwnerDeletion. */
  public List<Dependent> dependentsOf(String ownerUid) {
    List<Dependent> out = new ArrayList<>();
    for (String uid : dependentsByOwner.getOrDefault(ownerUid, Set.of())) {
      Node n = nodes.get(uid);
      boolean blocks = n.owners().stream().anyMatch(r -> r.uid().equals(ownerUid) && r.blockOwnerDeletion());
      out.add(new Dependent(n.ref(), uid, blocks));
    }
    return out;
  }

  /** The uids of the indexed nodes of {@code type}. */
  public Set<String> uidsOf(ResourceType type) {
    Set<String> out = new LinkedHashSet<>();
    nodes.forEach((uid, n) -> {
      if (n.ref().type().equals(type)) {
        out.add(uid);
      }
    });
    return out;
  }

  public Set<String> allUids() {
    return new LinkedHashSet<>(nodes.keySet());
  }

  public int size() {
    return nodes.size();
  }
}
