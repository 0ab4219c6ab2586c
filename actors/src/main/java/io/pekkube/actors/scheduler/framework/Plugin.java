package io.pekkube.actors.scheduler.framework;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * A scheduling plugin and Kubernetes' extension points, one interface each. A plugin implements the
 * points it takes part in; its decisions are static functions of its package the interfaces call.
 */
public interface Plugin {
  String name();

  /** Orders the active queue. */
  interface QueueSort extends Plugin {
    boolean less(PodInfo a, long aQueuedAt, PodInfo b, long bQueuedAt);
  }

  /**
   * Once per cycle, before any node: a rejection here rejects every node; {@link Status#SKIP} says the
   * pod does not concern this plugin, and its Filter is not run for this pod. A plugin keeps what it
   * computes here for its Filter of the same cycle (one scheduler actor runs the cycles one at a time).
   */
  interface PreFilter extends Plugin {
    Status preFilter(PodInfo pod, Snapshot snapshot);
  }

  /**
   * Keeps a PreFilter's cycle state true while preemption evaluates a node with pods removed or added back,
   * Kubernetes' {@code PreFilterExtensions}; every removal is matched by an add before the cycle ends.
   */
  interface PreFilterExtensions extends PreFilter {
    void addPod(PodInfo pod, PodInfo added, NodeInfo node);

    void removePod(PodInfo pod, PodInfo removed, NodeInfo node);
  }

  /** Can the pod run on this node? Runs for many nodes per cycle: no allocation on the success path. */
  interface Filter extends Plugin {
    Status filter(PodInfo pod, NodeInfo node);
  }

  /** After no node fits (preemption). */
  interface PostFilter extends Plugin {
    PostFilterResult postFilter(PodInfo pod, Map<String, Status> filtered, List<NodeInfo> nodes, Framework framework);
  }

  /** Once per cycle, before scoring the feasible nodes. */
  interface PreScore extends Plugin {
    Status preScore(PodInfo pod, List<NodeInfo> feasible, Snapshot snapshot);
  }

  /** 0..{@link Framework#MAX_NODE_SCORE} per node (after {@link #normalize}); the profile weighs plugins. */
  interface Score extends Plugin {
    long score(PodInfo pod, NodeInfo node);

    /** NormalizeScore: rescale this plugin's scores of one cycle in place. */
    default void normalize(long[] scores, int count) {}
  }

  /** The node is chosen: claim what the pod needs before binding (undone by unreserve if binding fails). */
  interface Reserve extends Plugin {
    Status reserve(PodInfo pod, String nodeName);

    void unreserve(PodInfo pod, String nodeName);
  }

  /** The last say before binding. */
  interface Permit extends Plugin {
    Status permit(PodInfo pod, String nodeName);
  }

  /**
   * After Permit, before Bind, off the scheduling cycle: writes what the pod needs before it is bound
   * (its volumes). A failure unreserves and sends the pod back to the queue.
   */
  interface PreBind extends Plugin {
    CompletionStage<Status> preBind(PodInfo pod, String nodeName);
  }

  /** Writes the decision; the first binder that does not {@link Status#SKIP} wins. */
  interface Bind extends Plugin {
    CompletionStage<Status> bind(PodInfo pod, String nodeName);
  }

  /**
   * The cluster events that may make a pod this plugin rejected fit, Kubernetes' {@code EventsToRegister};
   * a pod rejected by a plugin without it is retried on any event. The scheduler watches the storage
   * types only when some plugin registers an event of theirs.
   */
  interface EnqueueExtensions extends Plugin {
    Set<ClusterEvent> eventsToRegister();
  }

  /** What a PostFilter found: a node to nominate and the pods to evict there, or why not. */
  record PostFilterResult(String nominatedNode, List<PodInfo> victims, Status status) {
    public static PostFilterResult rejected(Status status) {
      return new PostFilterResult("", List.of(), status);
    }
  }
}
