package io.pekkube.actors.controllers.garbagecollector;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.controllers.runtime.ObjectRef;
import io.pekkube.actors.controllers.garbagecollector.GcAction.DeleteObject;
import io.pekkube.actors.controllers.garbagecollector.GcAction.RemoveFinalizer;
import io.pekkube.actors.controllers.garbagecollector.GcAction.RemoveOwnerReferences;
import io.pekkube.actors.resources.DeletionFinalizers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the garbage collector does about one object, as a pure function of the object, the observed
 * state of its owners and its dependents (Kubernetes' {@code attemptToDeleteItem},
 * {@code processDeletingDependentsItem} and {@code attemptToOrphan}):
 *
 * <ul>
 *   <li>being deleted with the {@code orphan} finalizer: drop its reference from every dependent, then the finalizer;
 *   <li>being deleted with {@code foregroundDeletion}: once no dependent that blocks it
 *       ({@code blockOwnerDeletion}) is left, drop the finalizer (its dependents are collected on their own);
 *   <li>otherwise, with owners: kept while one owner exists (references to absent owners, or to owners
 *       waiting for their dependents, are dropped); deleted when none exists: in the foreground when an
 *       owner waits for it and it has dependents itself, else by the policy its own finalizers say.
 * </ul>
 *
 * The "nothing to do" answer is an empty list. Running it again on the result changes nothing.
 */
public final class GarbageCollection {

  private GarbageCollection() {}

  public static List<GcAction> decide(ObjectRef ref, JsonNode object, Map<String, OwnerState> owners,
      List<Dependent> dependents) {
    JsonNode meta = object.path("metadata");
    String uid = meta.path("uid").asText("");
    List<String> finalizers = DeletionFinalizers.finalizers(object);
    boolean deleting = meta.hasNonNull("deletionTimestamp");
    if (deleting && finalizers.contains(DeletionFinalizers.ORPHAN)) {
      return orphan(ref, uid, dependents);
    }
    if (deleting && finalizers.contains(DeletionFinalizers.FOREGROUND)) {
      boolean blocked = dependents.stream().anyMatch(Dependent::blocksOwner);
      return blocked ? List.of() : List.of(new RemoveFinalizer(ref, uid, DeletionFinalizers.FOREGROUND));
    }
    if (deleting) {
      return List.of();
    }
    return collect(ref, object, uid, finalizers, owners, !dependents.isEmpty());
  }

  private static List<GcAction> orphan(ObjectRef ref, String uid, List<Dependent> dependents) {
    List<GcAction> actions = new ArrayList<>();
    for (Dependent d : dependents) {
      actions.add(new RemoveOwnerReferences(d.ref(), d.uid(), Set.of(uid)));
    }
    // Last, so that the owner stays (and is reconciled again) until every dependent let go of it.
    actions.add(new RemoveFinalizer(ref, uid, DeletionFinalizers.ORPHAN));
    return actions;
  }

  private static List<GcAction> collect(ObjectRef ref, JsonNode object, String uid, List<String> finalizers,
      Map<String, OwnerState> owners, boolean hasDependents) {
    List<OwnerReference> refs = OwnerReference.of(object);
    if (refs.isEmpty()) {
      return List.of();
    }
    Set<String> solid = new LinkedHashSet<>();
    Set<String> gone = new LinkedHashSet<>();
    boolean ownerWaits = false;
    for (OwnerReference r : refs) {
      switch (owners.getOrDefault(r.uid(), OwnerState.UNRESOLVABLE)) {
        case ABSENT -> gone.add(r.uid());
        case DELETING_DEPENDENTS -> {
          gone.add(r.uid());
          ownerWaits = true;
        }
        case PRESENT, UNRESOLVABLE -> solid.add(r.uid());
      }
    }
    if (!solid.isEmpty()) {
      return gone.isEmpty() ? List.of() : List.of(new RemoveOwnerReferences(ref, uid, gone));
    }
    String resourceVersion = object.path("metadata").path("resourceVersion").asText("");
    String policy;
    if (ownerWaits && hasDependents) {
      policy = DeletionFinalizers.POLICY_FOREGROUND;
    } else if (finalizers.contains(DeletionFinalizers.ORPHAN)) {
      policy = DeletionFinalizers.POLICY_ORPHAN;
    } else if (finalizers.contains(DeletionFinalizers.FOREGROUND)) {
      policy = DeletionFinalizers.POLICY_FOREGROUND;
    } else {
      policy = DeletionFinalizers.POLICY_BACKGROUND;
    }
    return List.of(new DeleteObject(ref, uid, resourceVersion, policy));
  }
}
