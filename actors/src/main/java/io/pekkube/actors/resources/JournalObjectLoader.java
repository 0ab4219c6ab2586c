package io.pekkube.actors.resources;

import io.pekkube.actors.api.ObjectKey;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentPersistenceIdsQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Rebuilds a hub's cache and window from the journal itself (the source of truth): every object
 * entity of the type is found by its persistence id and its events are read in order.
 * Works on any journal whose read side offers current persistence ids and current events by id
 * (the JDBC and the Cassandra plugins both do).
 */
public final class JournalObjectLoader implements ObjectLoader {
  private record History(ObjectKey key, java.util.List<ResourceEntity.Event> events) {}

  private static final int PARALLELISM = 16;

  private final ActorSystem<?> system;
  private final String readJournalPluginId;

  public JournalObjectLoader(ActorSystem<?> system, String readJournalPluginId) {
    this.system = system;
    this.readJournalPluginId = readJournalPluginId;
  }

  @Override
  public CompletionStage<Done> load(String resourceKey, Receiver receiver) {
    ReadJournal journal = PersistenceQuery.get(Adapter.toClassic(system))
        .getReadJournalFor(ReadJournal.class, readJournalPluginId);
    CurrentPersistenceIdsQuery ids = (CurrentPersistenceIdsQuery) journal;
    CurrentEventsByPersistenceIdQuery events = (CurrentEventsByPersistenceIdQuery) journal;
    String prefix = ResourceEntity.ENTITY_KEY.name() + "|" + resourceKey + "/";
    return ids.currentPersistenceIds()
        .filter(pid -> pid.startsWith(prefix))
        .mapAsyncUnordered(PARALLELISM, pid -> events.currentEventsByPersistenceId(pid, 0L, Long.MAX_VALUE)
            .map(envelope -> (ResourceEntity.Event) envelope.event())
            .runWith(Sink.seq(), system)
            .thenApply(list -> new History(ObjectKey.fromEntityId(pid.substring(ResourceEntity.ENTITY_KEY.name().length() + 1)), list)))
        .runWith(Sink.foreach(h -> receiver.object(h.key(), h.events())), system);
  }
}
