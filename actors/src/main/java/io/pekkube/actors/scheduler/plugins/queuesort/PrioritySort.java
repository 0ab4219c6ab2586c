package io.pekkube.actors.scheduler.plugins.queuesort;

import io.pekkube.actors.scheduler.framework.Plugin;
import io.pekkube.actors.scheduler.framework.PodInfo;

/** Kubernetes' {@code PrioritySort}: higher priority first, then the pod queued earlier. */
public final class PrioritySort implements Plugin.QueueSort {
  public static final String NAME = "PrioritySort";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean less(PodInfo a, long aQueuedAt, PodInfo b, long bQueuedAt) {
    return a.priority() > b.priority() || (a.priority() == b.priority() && aQueuedAt < bQueuedAt);
  }
}
