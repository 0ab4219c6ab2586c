package io.pekkube.actors.controllers.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class QueueWorkerTest {
  private static final ActorTestKit KIT = ActorTestKit.create();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  interface Command extends NoSerializationVerificationNeeded {}

  record Add(String key) implements Command {}

  record Start() implements Command {}

  record Done(String key, Throwable failure) implements Command {}

  record Requeue(String key) implements Command {}

  /** An actor around a worker whose syncs report their key to {@code started} and end when the test says. */
  private static Behavior<Command> controller(TestProbe<String> started,
      Map<String, CompletableFuture<Void>> running) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      QueueWorker<String, Command> worker = new QueueWorker<>(ctx, timers, key -> {
        CompletableFuture<Void> sync = new CompletableFuture<>();
        running.put(key, sync);
        started.getRef().tell(key);
        return sync;
      }, Done::new, Requeue::new);
      return Behaviors.receive(Command.class)
          .onMessage(Add.class, a -> {
            worker.add(a.key());
            return Behaviors.same();
          })
          .onMessage(Start.class, s -> {
            worker.start();
            return Behaviors.same();
          })
          .onMessage(Done.class, d -> {
            worker.finished(d.key(), d.failure());
            return Behaviors.same();
          })
          .onMessage(Requeue.class, r -> {
            worker.add(r.key());
            return Behaviors.same();
          })
          .build();
    }));
  }

  @Test
  void oneKeyAtATimeOnlyAfterStartAndAFailedKeyComesBack() {
    TestProbe<String> started = KIT.createTestProbe();
    Map<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();
    ActorRef<Command> actor = KIT.spawn(controller(started, running));
    actor.tell(new Add("a"));
    actor.tell(new Add("b"));
    started.expectNoMessage(Duration.ofMillis(100));
    actor.tell(new Start());
    assertEquals("a", started.receiveMessage());
    actor.tell(new Add("a"));
    started.expectNoMessage(Duration.ofMillis(100));
    running.get("a").complete(null);
    assertEquals("b", started.receiveMessage(), "b waited for a");
    running.get("b").completeExceptionally(new IllegalStateException("409 Conflict"));
    assertEquals("a", started.receiveMessage(), "the add seen while a ran");
    running.get("a").complete(null);
    assertEquals("b", started.receiveMessage(), "b again after its back-off");
    running.get("b").complete(null);
    started.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void theBackOffIsClientGosPerItemExponential() {
    assertEquals(Duration.ofMillis(5), QueueWorker.backoff(1));
    assertEquals(Duration.ofMillis(10), QueueWorker.backoff(2));
    assertEquals(Duration.ofMillis(640), QueueWorker.backoff(8));
    assertEquals(Duration.ofSeconds(1000), QueueWorker.backoff(19));
    assertEquals(Duration.ofSeconds(1000), QueueWorker.backoff(500));
  }
}
