package io.pekkube.actors.storage;

import static io.pekkube.actors.scheduler.Fixtures.claim;
import static io.pekkube.actors.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.scheduler.framework.ClaimInfo;
import org.junit.jupiter.api.Test;

class BindingEditsTest {
  private static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";

  @Test
  void aVolumeBoundByTheControllerNamesTheClaimAndSaysWhoBoundIt() {
    ClaimInfo data = ClaimInfo.of(claim("data").json());
    ObjectNode pv = BindingEdits.volumeBoundTo(volume("pv1").json(), data);
    ObjectNode ref = (ObjectNode) pv.path("spec").path("claimRef");
    assertEquals("data", ref.path("name").asText());
    assertEquals("default", ref.path("namespace").asText());
    assertEquals("uid-data", ref.path("uid").asText());
    assertEquals("PersistentVolumeClaim", ref.path("kind").asText());
    assertEquals("yes", pv.path("metadata").path("annotations").path(BOUND_BY_CONTROLLER).asText());
    assertEquals(pv, BindingEdits.volumeBoundTo(pv, data), "bound once, nothing more to write");
    assertTrue(volume("pv1").json().path("spec").path("claimRef").isMissingNode());
  }

  @Test
  void aUsersPreBindingGetsTheUidButNotTheControllersAnnotation() {
    ClaimInfo data = ClaimInfo.of(claim("data").json());
    ObjectNode preBound = BindingEdits.volumeBoundTo(volume("pv1").claimRef("data", "").json(), data);
    assertEquals("uid-data", preBound.path("spec").path("claimRef").path("uid").asText());
    assertTrue(preBound.path("metadata").path("annotations").path(BOUND_BY_CONTROLLER).isMissingNode());
  }

  @Test
  void theClaimNamesTheVolumeAndItsBindingIsComplete() {
    ObjectNode pv = volume("pv1").json();
    ObjectNode pvc = BindingEdits.claimBoundTo(claim("data").json(), pv);
    assertEquals("pv1", pvc.path("spec").path("volumeName").asText());
    assertEquals("yes", pvc.path("metadata").path("annotations").path(BOUND_BY_CONTROLLER).asText());
    assertTrue(ClaimInfo.of(pvc).fullyBound());
    ObjectNode asked = BindingEdits.claimBoundTo(claim("data").volumeName("pv1").json(), pv);
    assertTrue(asked.path("metadata").path("annotations").path(BOUND_BY_CONTROLLER).isMissingNode(),
        "the user named the volume");
    assertTrue(ClaimInfo.of(asked).fullyBound());
  }

  @Test
  void aBoundClaimReportsTheVolumesModesAndCapacityOnlyWhenItBecomesBound() {
    ObjectNode pv = volume("pv1").capacity("5Gi").json();
    ObjectNode bound = BindingEdits.claimWithPhase(claim("data").json(), "Bound", pv);
    assertEquals("Bound", bound.path("status").path("phase").asText());
    assertEquals("5Gi", bound.path("status").path("capacity").path("storage").asText());
    assertEquals("ReadWriteOnce", bound.path("status").path("accessModes").get(0).asText());
    ((ObjectNode) bound.path("status").path("capacity")).put("storage", "6Gi"); // a resize's report
    assertEquals("6Gi", BindingEdits.claimWithPhase(bound, "Bound", pv).path("status").path("capacity")
        .path("storage").asText());
    ObjectNode lost = BindingEdits.claimWithPhase(bound, "Lost", null);
    assertFalse(lost.path("status").has("capacity"));
    assertFalse(lost.path("status").has("accessModes"));
  }

  @Test
  void unbindingDropsTheControllersBindingButKeepsAUsersPreBindingByName() {
    ObjectNode byController = BindingEdits.volumeBoundTo(volume("pv1").json(), ClaimInfo.of(claim("data").json()));
    ObjectNode freed = BindingEdits.volumeUnbound(byController);
    assertTrue(freed.path("spec").path("claimRef").isMissingNode());
    assertTrue(freed.path("metadata").path("annotations").isMissingNode());
    ObjectNode byUser = BindingEdits.volumeUnbound(volume("pv1").claimRef("data", "uid-data").json());
    assertEquals("data", byUser.path("spec").path("claimRef").path("name").asText());
    assertFalse(byUser.path("spec").path("claimRef").has("uid"));
  }

  @Test
  void aVolumePhaseCarriesItsMessage() {
    ObjectNode failed = BindingEdits.volumeWithPhase(volume("pv1").json(), "Failed", "boom");
    assertEquals("Failed", failed.path("status").path("phase").asText());
    assertEquals("boom", failed.path("status").path("message").asText());
    assertFalse(BindingEdits.volumeWithPhase(failed, "Available", "").path("status").has("message"));
  }
}
