package io.pekkube.actors.resources;

import io.pekkube.actors.api.ObjectKey;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Fills a starting hub's watch cache and its window of recent changes from the journal: the hub
 * gets the whole event history of each object of its type.
 */
public interface ObjectLoader {

  /** Receives the events of one object, oldest first. Called from the loader's thread: only send messages. */
  interface Receiver {
    void object(ObjectKey key, List<ResourceEntity.Event> events);
  }

  CompletionStage<Done> load(String resourceKey, Receiver receiver);
}
