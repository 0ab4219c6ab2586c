package io.pekkube.actors.scheduler.framework;

import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.ResourceType;

/**
 * A change in the cluster that may make an unschedulable pod fit, Kubernetes' {@code ClusterEvent}
 * (resource and action type). Pod events are about pods placed on a node; an assigned pod that finishes
 * counts as deleted. A taint change includes {@code spec.unschedulable}.
 */
public enum ClusterEvent {
  NODE_ADDED(BuiltinTypes.NODE), NODE_DELETED(BuiltinTypes.NODE), NODE_LABELS_CHANGED(BuiltinTypes.NODE),
  NODE_TAINTS_CHANGED(BuiltinTypes.NODE), NODE_ALLOCATABLE_CHANGED(BuiltinTypes.NODE),
  POD_ADDED(BuiltinTypes.POD), POD_LABELS_CHANGED(BuiltinTypes.POD), POD_DELETED(BuiltinTypes.POD),
  PVC_ADDED(BuiltinTypes.PERSISTENT_VOLUME_CLAIM), PVC_UPDATED(BuiltinTypes.PERSISTENT_VOLUME_CLAIM),
  PV_ADDED(BuiltinTypes.PERSISTENT_VOLUME), PV_UPDATED(BuiltinTypes.PERSISTENT_VOLUME),
  STORAGE_CLASS_ADDED(BuiltinTypes.STORAGE_CLASS), STORAGE_CLASS_UPDATED(BuiltinTypes.STORAGE_CLASS);

  private final ResourceType resource;

  ClusterEvent(ResourceType resource) {
    this.resource = resource;
  }

  /** The type whose objects change; the scheduler watches the storage types only when an event of theirs is registered. */
  public ResourceType resource() {
    return resource;
  }

  /**
   * The event of a watch change ({@code ADDED}, {@code MODIFIED}, {@code DELETED}) to a claim, volume or
   * class; null for a deletion, which no plugin waits for.
   */
  public static ClusterEvent ofStorage(ResourceType type, String watchEventType) {
    boolean added = "ADDED".equals(watchEventType);
    if ("DELETED".equals(watchEventType)) {
      return null;
    }
    if (type.equals(BuiltinTypes.PERSISTENT_VOLUME_CLAIM)) {
      return added ? PVC_ADDED : PVC_UPDATED;
    }
    if (type.equals(BuiltinTypes.PERSISTENT_VOLUME)) {
      return added ? PV_ADDED : PV_UPDATED;
    }
    if (type.equals(BuiltinTypes.STORAGE_CLASS)) {
      return added ? STORAGE_CLASS_ADDED : STORAGE_CLASS_UPDATED;
    }
    throw new IllegalArgumentException("not a storage type: " + type.plural());
  }
}
