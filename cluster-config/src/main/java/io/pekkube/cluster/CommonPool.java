package io.pekkube.cluster;

/**
 * Keeps CompletableFuture off its thread-per-task fallback. On a machine with 2 CPUs the JDK's common
 * pool has parallelism 1, and CompletableFuture then starts a new OS thread for every async step
 * (Pekko's ask futures run their continuations asynchronously): about three threads per API write.
 */
public final class CommonPool {
  private static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private CommonPool() {}

  /** Must run before anything touches the common pool: first thing in main. */
  public static void ensureParallelism() {
    if (System.getProperty(PARALLELISM) == null) {
      System.setProperty(PARALLELISM, Integer.toString(Math.max(4, Runtime.getRuntime().availableProcessors())));
    }
  }
}
