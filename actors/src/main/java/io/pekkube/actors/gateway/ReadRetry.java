package io.pekkube.actors.gateway;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Repeats an idempotent ask that timed out: a message lost while a shard moves is asked again. */
final class ReadRetry {

  private ReadRetry() {}

  static <T> CompletionStage<T> withAttempts(int attempts, Supplier<CompletionStage<T>> ask) {
    return ask.get().handle((value, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(value);
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      if (attempts > 1 && cause instanceof TimeoutException) {
        return withAttempts(attempts - 1, ask);
      }
      return CompletableFuture.<T>failedFuture(cause);
    }).thenCompose(stage -> stage);
  }
}
