package io.pekkube.actors.controllers.eventttl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkube.actors.controllers.eventttl.ExpiryQueue.Due;
import io.pekkube.actors.controllers.eventttl.ExpiryQueue.Name;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExpiryQueueTest {
  static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  static final Name A = new Name("default", "a");
  static final Name B = new Name("default", "b");
  static final Name C = new Name("kube-system", "a");

  @Test
  void onlyEventsPastTheirDeadlineAreDueEarliestFirst() {
    ExpiryQueue q = new ExpiryQueue();
    q.track(A, 10, T0.plusSeconds(20));
    q.track(B, 11, T0.plusSeconds(5));
    q.track(C, 12, T0.plusSeconds(60));
    assertEquals(List.of(), q.takeDue(T0.plusSeconds(4), 16));
    assertEquals(List.of(new Due(B, 11), new Due(A, 10)), q.takeDue(T0.plusSeconds(20), 16));
    assertEquals(Optional.of(T0.plusSeconds(60)), q.next());
  }

  @Test
  void aWriteMovesTheDeadline() {
    ExpiryQueue q = new ExpiryQueue();
    q.track(A, 10, T0.plusSeconds(5));
    q.track(A, 20, T0.plusSeconds(30));
    assertEquals(List.of(), q.takeDue(T0.plusSeconds(10), 16));
    assertEquals(List.of(new Due(A, 20)), q.takeDue(T0.plusSeconds(30), 16));
    assertEquals(1, q.size());
  }

  @Test
  void atMostMaxAreHandedOutAndTheRestWait() {
    ExpiryQueue q = new ExpiryQueue();
    q.track(A, 10, T0);
    q.track(B, 11, T0);
    assertEquals(List.of(new Due(A, 10)), q.takeDue(T0, 1));
    assertEquals(Optional.of(T0), q.next());
    assertEquals(List.of(), q.takeDue(T0, 0));
  }

  @Test
  void aDeletionOutcomeOfAnOlderRevisionLeavesTheNewerWriteAlone() {
    ExpiryQueue q = new ExpiryQueue();
    q.track(A, 10, T0);
    assertEquals(List.of(new Due(A, 10)), q.takeDue(T0, 16));
    q.track(A, 20, T0.plusSeconds(30));
    q.forget(A, 10);
    q.retryAt(A, 10, T0.plusSeconds(1));
    assertEquals(1, q.size());
    assertEquals(Optional.of(T0.plusSeconds(30)), q.next());
    q.forget(A, 20);
    assertEquals(0, q.size());
    assertEquals(Optional.empty(), q.next());
  }

  @Test
  void aFailedDeletionIsDueAgainAtItsRetry() {
    ExpiryQueue q = new ExpiryQueue();
    q.track(A, 10, T0);
    q.takeDue(T0, 16);
    assertEquals(Optional.empty(), q.next());
    q.retryAt(A, 10, T0.plusSeconds(5));
    assertEquals(List.of(new Due(A, 10)), q.takeDue(T0.plusSeconds(5), 16));
  }

  @Test
  void aDeletedEventIsForgottenWhateverItsRevision() {
    ExpiryQueue q = new ExpiryQueue();
    q.track(A, 10, T0);
    q.forget(A);
    assertEquals(List.of(), q.takeDue(T0.plusSeconds(1), 16));
    assertEquals(0, q.size());
  }
}
