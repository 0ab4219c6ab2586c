package io.pekkube.actors.resources;

import io.pekkube.actors.api.ObjectKey;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/** Fills a starting hub's watch cache with the current objects of its type. */
public interface ObjectLoader {

  /** Receives one current object. Called from the loader's own thread: only send messages. */
  interface Receiver {
    void object(ObjectKey key, String object, long revision);
  }

  CompletionStage<Done> load(String resourceKey, Receiver receiver);
}
