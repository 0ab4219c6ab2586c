package io.pekkube.actors.scheduler.cache;

import static io.pekkube.actors.scheduler.Fixtures.claim;
import static io.pekkube.actors.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.scheduler.framework.VolumeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumeCacheTest {
  private final VolumeCache cache = new VolumeCache();

  private static ObjectNode withVersion(ObjectNode o, String rv) {
    ((ObjectNode) o.path("metadata")).put("resourceVersion", rv);
    return o;
  }

  @Test
  void anAssumedVolumeShowsUntilTheWatchBringsANewerVersion() {
    cache.upsert(BuiltinTypes.PERSISTENT_VOLUME, withVersion(volume("pv1").json(), "9"));
    cache.assumeVolume(VolumeInfo.of(withVersion(volume("pv1").claimRef("data", "u").json(), "9")), "default/p");
    cache.upsert(BuiltinTypes.PERSISTENT_VOLUME, withVersion(volume("pv1").json(), "9"));
    assertEquals("data", cache.volume("pv1").claimRef().name(), "the same version again (a re-list) keeps it");
    assertEquals("data", cache.volumes().get(0).claimRef().name());
    cache.upsert(BuiltinTypes.PERSISTENT_VOLUME, withVersion(volume("pv1").claimRef("data", "u").json(), "10"));
    assertFalse(cache.isAssumed(BuiltinTypes.PERSISTENT_VOLUME, "pv1"), "revision 10 is newer than 9 (not as strings)");
  }

  @Test
  void restoreUndoesOnlyThatPodsAssumptions() {
    cache.upsert(BuiltinTypes.PERSISTENT_VOLUME, volume("pv1").json());
    cache.upsert(BuiltinTypes.PERSISTENT_VOLUME, volume("pv2").json());
    cache.assumeVolume(VolumeInfo.of(volume("pv1").claimRef("a", "ua").json()), "default/p");
    cache.assumeVolume(VolumeInfo.of(volume("pv2").claimRef("b", "ub").json()), "default/q");
    cache.restore("default/p");
    assertNull(cache.volume("pv1").claimRef());
    assertEquals("b", cache.volume("pv2").claimRef().name());
  }

  @Test
  void aListReplacesTheTypeAndADeletionForgetsTheObject() {
    cache.upsert(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, claim("old").json());
    cache.replace(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, List.of(claim("new").json()));
    assertNull(cache.claim("default", "old"));
    assertTrue(cache.claim("default", "new") != null);
    cache.remove(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, claim("new").json());
    assertNull(cache.claim("default", "new"));
  }
}
