package io.pekkube.actors.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadRetryTest {

  @Test
  void aTimedOutReadIsAskedAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    String value = ReadRetry.withAttempts(3, () -> calls.incrementAndGet() < 3
        ? CompletableFuture.<String>failedFuture(new TimeoutException("lost"))
        : CompletableFuture.completedFuture("ok")).toCompletableFuture().get();
    assertEquals("ok", value);
    assertEquals(3, calls.get());
  }

  @Test
  void attemptsAreBoundedAndOtherFailuresAreNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    ExecutionException timedOut = assertThrows(ExecutionException.class, () -> ReadRetry.withAttempts(2, () -> {
      calls.incrementAndGet();
      return CompletableFuture.<String>failedFuture(new TimeoutException("lost"));
    }).toCompletableFuture().get());
    assertInstanceOf(TimeoutException.class, timedOut.getCause());
    assertEquals(2, calls.get());
    calls.set(0);
    assertThrows(ExecutionException.class, () -> ReadRetry.withAttempts(3, () -> {
      calls.incrementAndGet();
      return CompletableFuture.<String>failedFuture(new IllegalStateException("no"));
    }).toCompletableFuture().get());
    assertEquals(1, calls.get());
  }
}
