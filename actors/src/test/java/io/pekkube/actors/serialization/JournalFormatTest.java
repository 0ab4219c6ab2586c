package io.pekkube.actors.serialization;

import io.pekkube.actors.resources.ObjectWrites.ChangeKind;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.actors.resources.ResourceHub;
import io.pekkube.persistence.serialization.GoldenBytes;
import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every persisted event and snapshot state against bytes committed in test resources: a change that
 * would break replay of an existing journal fails here.
 */
class JournalFormatTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Serialization SER = SerializationExtension.get(Adapter.toClassic(KIT.system()));
  private static final Instant AT = Instant.parse("2026-11-25T12:00:00Z");
  private static final String OBJ = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\","
      + "\"namespace\":\"default\",\"resourceVersion\":\"42\"},\"data\":{\"k\":\"v\"}}";

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  @Test
  void entityEventsKeepTheirFormat() {
    GoldenBytes.assertMatches(SER, new ResourceEntity.ObjectCreated(42, OBJ, AT, "alice"), "entity-object-created-v1");
    GoldenBytes.assertMatches(SER, new ResourceEntity.ObjectUpdated(43, OBJ, AT, "bob"), "entity-object-updated-v1");
    GoldenBytes.assertMatches(SER, new ResourceEntity.DeletionMarked(44, OBJ, AT, "carol"), "entity-deletion-marked-v1");
    GoldenBytes.assertMatches(SER, new ResourceEntity.ObjectDeleted(45, OBJ, AT, "dave"), "entity-object-deleted-v1");
    GoldenBytes.assertMatches(SER, new ResourceEntity.RevisionFenced(46), "entity-revision-fenced-v1");
  }

  @Test
  void snapshotStatesKeepTheirFormat() {
    GoldenBytes.assertMatches(SER, new ResourceEntity.State(OBJ, 45, ChangeKind.MODIFIED, 46), "entity-state-v1");
    GoldenBytes.assertMatches(SER, new ResourceEntity.State(null, 47, ChangeKind.DELETED, 0), "entity-state-deleted-v1");
    GoldenBytes.assertMatches(SER, new ResourceHub.RevisionsReserved(20000), "hub-revisions-reserved-v1");
    GoldenBytes.assertMatches(SER, new ResourceHub.State(20000), "hub-state-v1");
  }
}
