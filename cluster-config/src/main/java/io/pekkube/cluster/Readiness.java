package io.pekkube.cluster;

import io.pekkube.actors.cluster.IslandGuard;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * What {@code /readyz} reports: ready while this JVM is an Up member of the cluster, its start-up
 * is done, the store answers a read (probed every few seconds through the read journal) and it is
 * not an island apart from its seeds ({@link IslandGuard}).
 *
 * <p>The probe reads the events of {@link #PROBE_ID}, which no entity has: one index lookup on H2 and one
 * partition read on Cassandra. Listing the persistence ids, as it once did, is a scan of the whole journal
 * on H2 ({@code SELECT DISTINCT persistence_id}, however little of the stream is taken): every 3 s over
 * hundreds of thousands of rows in a cluster of 15,000 pods, 31 % of all that the control plane allocated.
 */
public final class Readiness {
  private static final Duration PROBE_EVERY = Duration.ofSeconds(3);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
  /** A persistence id no entity uses (theirs are {@code <entity type>|<id>}). */
  static final String PROBE_ID = "readiness-probe";

  private final Cluster cluster;
  private final IslandGuard islandGuard;
  private final MembershipRecord membership;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean storeAnswers = new AtomicBoolean();

  Readiness(ActorSystem<?> system, String readJournalPluginId, MembershipRecord membership) {
    this.cluster = Cluster.get(system);
    this.islandGuard = IslandGuard.of(system);
    this.membership = membership;
    CurrentEventsByPersistenceIdQuery events = (CurrentEventsByPersistenceIdQuery) PersistenceQuery
        .get(Adapter.toClassic(system)).getReadJournalFor(ReadJournal.class, readJournalPluginId);
    system.scheduler().scheduleWithFixedDelay(Duration.ZERO, PROBE_EVERY, () ->
        events.currentEventsByPersistenceId(PROBE_ID, 0L, Long.MAX_VALUE).runWith(Sink.ignore(), system)
            .toCompletableFuture().orTimeout(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .whenComplete((done, failure) -> storeAnswers.set(failure == null)),
        system.executionContext());
    system.scheduler().scheduleWithFixedDelay(PROBE_EVERY, PROBE_EVERY, this::recordMembership,
        system.executionContext());
  }

  private void recordMembership() {
    if (cluster.selfMember().status() == MemberStatus.up() && islandGuard.sharesClusterWithAnotherSeed(cluster.state())) {
      membership.write();
    }
  }

  public void markStarted() {
    started.set(true);
  }

  public boolean isReady() {
    return started.get() && storeAnswers.get() && cluster.selfMember().status() == MemberStatus.up()
        && !islandGuard.isolated(cluster.selfMember(), cluster.state());
  }

  /** Why not ready, for the /readyz body. */
  public String reason() {
    if (islandGuard.isolated(cluster.selfMember(), cluster.state())) {
      return "restarted into a cluster of its own, apart from its seeds";
    }
    if (!started.get()) {
      return "starting";
    }
    if (cluster.selfMember().status() != MemberStatus.up()) {
      return "not an Up member of the cluster (" + cluster.selfMember().status() + ")";
    }
    return storeAnswers.get() ? "ok" : "the store does not answer";
  }
}
