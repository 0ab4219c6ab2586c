package io.pekkube.actors.controllers.eventttl;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The Events of one type by deadline: per Event only its name, the revision it was last seen at and its
 * deadline, not the object (the hub keeps that). An Event handed out for deletion stays known at its
 * revision until the deletion's outcome says what became of it. Not thread-safe: one actor owns it.
 */
final class ExpiryQueue {

  /** An Event's name in its namespace. */
  record Name(String namespace, String name) {}

  /** An Event due for deletion, as it was at {@code revision}. */
  record Due(Name name, long revision) {}

  private record Tracked(long revision, long deadlineMillis) {}

  /** Revisions of a type are unique, so they order Events with the same deadline. */
  private record Slot(long deadlineMillis, long revision, Name name) {}

  private static final Comparator<Slot> ORDER =
      Comparator.comparingLong(Slot::deadlineMillis).thenComparingLong(Slot::revision);

  private final Map<Name, Tracked> tracked = new HashMap<>();
  private final TreeSet<Slot> byDeadline = new TreeSet<>(ORDER);

  /** The Event {@code name} as written at {@code revision}, due at {@code deadline}. */
  void track(Name name, long revision, Instant deadline) {
    forget(name);
    long at = deadline.toEpochMilli();
    tracked.put(name, new Tracked(revision, at));
    byDeadline.add(new Slot(at, revision, name));
  }

  /** The Event is gone (or being deleted by its finalizers). */
  void forget(Name name) {
    Tracked known = tracked.remove(name);
    if (known != null) {
      byDeadline.remove(new Slot(known.deadlineMillis(), known.revision(), name));
    }
  }

  /** The Event is gone, unless it has been written again since {@code revision}. */
  void forget(Name name, long revision) {
    Tracked known = tracked.get(name);
    if (known != null && known.revision() == revision) {
      forget(name);
    }
  }

  /** Tries the deletion again at {@code at}, unless the Event has been written again since {@code revision}. */
  void retryAt(Name name, long revision, Instant at) {
    Tracked known = tracked.get(name);
    if (known != null && known.revision() == revision) {
      track(name, revision, at);
    }
  }

  /** Up to {@code max} Events whose deadline has come by {@code now}, earliest first, no longer waiting. */
  List<Due> takeDue(Instant now, int max) {
    List<Due> due = new ArrayList<>();
    long nowMillis = now.toEpochMilli();
    Iterator<Slot> it = byDeadline.iterator();
    while (due.size() < max && it.hasNext()) {
      Slot slot = it.next();
      if (slot.deadlineMillis() > nowMillis) {
        break;
      }
      it.remove();
      due.add(new Due(slot.name(), slot.revision()));
    }
    return due;
  }

  /** The earliest deadline of an Event still waiting. */
  Optional<Instant> next() {
    return byDeadline.isEmpty() ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(byDeadline.first().deadlineMillis()));
  }

  /** How many Events are known, waiting or handed out. */
  int size() {
    return tracked.size();
  }
}
