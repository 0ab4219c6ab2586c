package io.pekkube.cluster.commands;

import io.pekkube.cluster.PekkubeNode;
import java.util.concurrent.CountDownLatch;

/** How a started node lives until its JVM exits, the same for every command that starts one. */
final class NodeLifetime {
  /** The exit code of a node the cluster removed (downed by the split-brain resolver). */
  static final int REMOVED_FROM_CLUSTER = 3;

  private NodeLifetime() {}

  /**
   * Runs {@code announce}, then blocks until SIGTERM (a graceful leave) or until the cluster removed
   * the node; returns the process exit code.
   */
  static int serve(PekkubeNode node, Runnable announce) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "pekkube-shutdown"));
    // Downed by the split-brain resolver (or left the cluster): this JVM can never rejoin, so it
    // exits and its supervisor starts a fresh one.
    node.system().getWhenTerminated().thenRun(stopped::countDown);
    announce.run();
    System.out.flush();
    stopped.await();
    if (node.removedFromCluster()) {
      System.err.println("This node was removed from the cluster; exiting so that it can be started again.");
      return REMOVED_FROM_CLUSTER;
    }
    return 0;
  }
}
