package io.pekkube.actors.controllers.runtime;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * client-go's work queue, for one actor: a key waits at most once, a key is never handed out twice
 * at the same time, and a key added while it is being processed is handed out again afterwards
 * (so no change seen during a reconcile is lost). Not thread-safe: the owning actor is the only user.
 */
public final class WorkQueue<K> {
  private final LinkedHashSet<K> waiting = new LinkedHashSet<>();
  private final Set<K> processing = new HashSet<>();
  private final Set<K> dirty = new HashSet<>();

  public void add(K key) {
    if (processing.contains(key)) {
      dirty.add(key);
    } else {
      waiting.add(key);
    }
  }

  /** The next key to process, now marked as processing; empty when none waits. */
  public Optional<K> take() {
    Iterator<K> it = waiting.iterator();
    if (!it.hasNext()) {
      return Optional.empty();
    }
    K key = it.next();
    it.remove();
    processing.add(key);
    return Optional.of(key);
  }

  /** Processing of {@code key} ended; a key added meanwhile waits again. */
  public void done(K key) {
    processing.remove(key);
    if (dirty.remove(key)) {
      waiting.add(key);
    }
  }

  public int processing() {
    return processing.size();
  }

  public int waiting() {
    return waiting.size();
  }
}
