package io.pekkube.actors.controllers.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

  @Test
  void aKeyWaitsOnceAndIsNeverHandedOutTwiceAtATime() {
    WorkQueue<String> q = new WorkQueue<>();
    q.add("a");
    q.add("b");
    q.add("a");
    assertEquals(Optional.of("a"), q.take());
    q.add("a");
    assertEquals(Optional.of("b"), q.take());
    assertEquals(Optional.empty(), q.take(), "a is being processed; its new add waits for done");
    q.done("a");
    assertEquals(Optional.of("a"), q.take(), "the add seen during processing is handed out again");
    q.done("a");
    q.done("b");
    assertEquals(Optional.empty(), q.take());
    assertEquals(0, q.processing());
  }
}
