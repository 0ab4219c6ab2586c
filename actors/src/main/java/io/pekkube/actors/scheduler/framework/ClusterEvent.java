package io.pekkube.actors.scheduler.framework;

/**
 * A change in the cluster that may make an unschedulable pod fit, Kubernetes' {@code ClusterEvent}
 * (resource and action type). Pod events are about pods placed on a node; an assigned pod that finishes
 * counts as deleted. A taint change includes {@code spec.unschedulable}.
 */
public enum ClusterEvent {
  NODE_ADDED, NODE_DELETED, NODE_LABELS_CHANGED, NODE_TAINTS_CHANGED, NODE_ALLOCATABLE_CHANGED,
  POD_ADDED, POD_LABELS_CHANGED, POD_DELETED
}
