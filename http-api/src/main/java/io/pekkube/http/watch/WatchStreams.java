package io.pekkube.http.watch;

import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ObjectFilter;
import io.pekkube.actors.resources.ResourceHub;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSource;
import org.apache.pekko.util.ByteString;

/**
 * A watch as a stream of JSON lines: a stream-backed actor receives the events of the watch
 * (through a {@code WatchRelay}); the stream ends after the timeout, after an ERROR event, or when
 * the client goes away (the stream's actor stops, the relay sees it and unsubscribes).
 */
public final class WatchStreams {
  /** Events buffered for a slow client before its watch is failed (it then re-lists). */
  private static final int BUFFER = 20_000;

  private WatchStreams() {}

  public static Source<ByteString, NotUsed> open(ActorSystem<?> system, ApiClient client, ResourceType type,
      ObjectFilter filter, String resourceVersion, boolean bookmarks, boolean sendInitialEvents, Duration timeout) {
    return open(system, client, type, filter, resourceVersion, bookmarks, sendInitialEvents, timeout,
        e -> WatchEvents.line(type, e));
  }

  /** The same watch with each event written by {@code encode} (a Table watch, for example). */
  public static Source<ByteString, NotUsed> open(ActorSystem<?> system, ApiClient client, ResourceType type,
      ObjectFilter filter, String resourceVersion, boolean bookmarks, boolean sendInitialEvents, Duration timeout,
      Function<ResourceHub.WatchEvent, String> encode) {
    Pair<ActorRef<ResourceHub.WatchEvent>, Source<ResourceHub.WatchEvent, NotUsed>> pre =
        ActorSource.<ResourceHub.WatchEvent>actorRef(
                m -> false,
                m -> Optional.empty(),
                BUFFER,
                OverflowStrategy.fail())
            .preMaterialize(system);
    ActorRef<ResourceHub.WatchEvent> sink = pre.first();
    client.watch(type, filter, resourceVersion, bookmarks, sendInitialEvents, sink);
    return pre.second()
        .takeWhile(e -> !(e instanceof ResourceHub.WatchFailed), true)
        .takeWithin(timeout)
        .map(e -> ByteString.fromString(encode.apply(e)));
  }
}
