package io.pekkube.actors.controllers.persistentvolume;

import static io.pekkube.actors.scheduler.Fixtures.claim;
import static io.pekkube.actors.scheduler.Fixtures.storageClass;
import static io.pekkube.actors.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.scheduler.framework.ClaimInfo;
import io.pekkube.actors.scheduler.framework.VolumeInfo;
import io.pekkube.actors.storage.BindingEdits;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Given these claims, volumes, classes and pods, one sync does exactly these actions. */
class VolumeSyncTest {
  private static final String WAIT = "WaitForFirstConsumer";
  private final Map<String, VolumeInfo> volumes = new HashMap<>();
  private final Map<String, ObjectNode> claims = new HashMap<>();
  private final Map<String, ObjectNode> classes = new HashMap<>();
  private final Map<String, Observed.PodClaims> pods = new HashMap<>();
  private final Observed observed = new Observed(volumes, claims, classes, pods);

  private ObjectNode volumeOf(ObjectNode pv) {
    volumes.put(Json.meta(pv, "name"), VolumeInfo.of(pv));
    return pv;
  }

  private ObjectNode classOf(ObjectNode c) {
    classes.put(Json.meta(c, "name"), c);
    return c;
  }

  private static ObjectNode pending(ObjectNode claim) {
    ((ObjectNode) claim.with("status")).put("phase", "Pending");
    return claim;
  }

  /** The one event of the actions, as "type reason: message". */
  private static String event(List<VolumeAction> actions) {
    List<VolumeAction.Event> events = actions.stream().filter(a -> a instanceof VolumeAction.Event)
        .map(a -> (VolumeAction.Event) a).toList();
    assertEquals(1, events.size(), actions.toString());
    return events.get(0).type() + " " + events.get(0).reason() + ": " + events.get(0).message();
  }

  private static JsonNode status(VolumeAction action) {
    if (action instanceof VolumeAction.UpdateClaimStatus u) {
      return u.claim().path("status");
    }
    return assertInstanceOf(VolumeAction.UpdateVolumeStatus.class, action).volume().path("status");
  }

  // ---- claims ----

  @Test
  void anUnboundClaimIsBoundToTheBestAvailableVolume() {
    volumeOf(volume("big").capacity("100Gi").json());
    ObjectNode pv = volumeOf(volume("fits").capacity("2Gi").json());
    ObjectNode pvc = claim("data").json();
    assertEquals(List.of(new VolumeAction.Bind(pv, pvc)), VolumeSync.syncClaim(pvc, observed));
  }

  @Test
  void aClaimWithoutClassAndWithoutVolumeWaitsWithFailedBinding() {
    List<VolumeAction> actions = VolumeSync.syncClaim(claim("data").json(), observed);
    assertEquals("Normal FailedBinding: no persistent volumes available for this claim and no storage class is set",
        event(actions));
    assertEquals("Pending", status(actions.get(1)).path("phase").asText());
    assertEquals(1, VolumeSync.syncClaim(pending(claim("data").json()), observed).size(), "the event only, again");
  }

  @Test
  void aWaitForFirstConsumerClaimWaitsForItsPod() {
    classOf(storageClass("local", WAIT, LocalPathProvisioner.NAME));
    volumeOf(volume("free").storageClass("local").json());
    ObjectNode pvc = pending(claim("data").storageClass("local").json());
    assertEquals("Normal WaitForFirstConsumer: waiting for first consumer to be created before binding",
        event(VolumeSync.syncClaim(pvc, observed)));
    pods.put("default/web", Observed.PodClaims.of(Json.parseTrusted("""
        {"metadata":{"name":"web","namespace":"default"},"spec":{"volumes":[{"name":"d",
         "persistentVolumeClaim":{"claimName":"data"}}]},"status":{"phase":"Pending"}}""")));
    assertEquals("Normal WaitForPodScheduled: waiting for pod web to be scheduled",
        event(VolumeSync.syncClaim(pvc, observed)));
  }

  @Test
  void aClaimTheSchedulerPutOnANodeIsProvisionedByTheLocalPathProvisioner() {
    ObjectNode local = classOf(storageClass("local", WAIT, LocalPathProvisioner.NAME));
    ObjectNode pvc = claim("data").storageClass("local").selectedNode("n1").json();
    assertEquals(List.of(new VolumeAction.Provision(pvc, local)), VolumeSync.syncClaim(pvc, observed));
  }

  @Test
  void aClaimOfAnExternalProvisionerIsAnnotatedForItAndWaits() {
    classOf(storageClass("csi", "Immediate", "csi.example.com"));
    ObjectNode pvc = claim("data").storageClass("csi").json();
    List<VolumeAction> actions = VolumeSync.syncClaim(pvc, observed);
    ObjectNode annotated = assertInstanceOf(VolumeAction.UpdateClaim.class, actions.get(0)).claim();
    assertEquals("csi.example.com", annotated.path("metadata").path("annotations")
        .path("volume.kubernetes.io/storage-provisioner").asText());
    assertEquals("csi.example.com", annotated.path("metadata").path("annotations")
        .path("volume.beta.kubernetes.io/storage-provisioner").asText());
    assertEquals("Normal ExternalProvisioning: Waiting for a volume to be created either by the external provisioner "
        + "'csi.example.com' or manually by the system administrator. If volume creation is delayed, please verify "
        + "that the provisioner is running and correctly registered.", event(actions));
    assertEquals(1, VolumeSync.syncClaim(annotated, observed).size(), "annotated already: the event only");
  }

  @Test
  void aClassWithoutAProvisionerOrNoClassAtAllFailsProvisioning() {
    classOf(storageClass("manual", "Immediate", ""));
    assertEquals("Warning ProvisioningFailed: no volume plugin matched name: kubernetes.io/no-provisioner",
        event(VolumeSync.syncClaim(claim("data").storageClass("manual").json(), observed)));
    assertEquals("Warning ProvisioningFailed: storageclass.storage.k8s.io \"fast\" not found",
        event(VolumeSync.syncClaim(claim("data").storageClass("fast").json(), observed)));
  }

  @Test
  void aClaimThatNamesNoClassGetsTheNewestDefaultClass() {
    ObjectNode old = storageClass("old", WAIT, LocalPathProvisioner.NAME);
    ((ObjectNode) old.with("metadata")).put("creationTimestamp", "2026-01-01T00:00:00Z").putObject("annotations")
        .put("storageclass.kubernetes.io/is-default-class", "true");
    ObjectNode newer = old.deepCopy();
    ((ObjectNode) newer.with("metadata")).put("name", "newer").put("creationTimestamp", "2026-02-01T00:00:00Z");
    classOf(old);
    classOf(newer);
    List<VolumeAction> actions = VolumeSync.syncClaim(claim("data").json(), observed);
    assertEquals("newer", assertInstanceOf(VolumeAction.UpdateClaim.class, actions.get(0)).claim().path("spec")
        .path("storageClassName").asText());
    ObjectNode explicitlyNone = claim("data").storageClass("").json();
    assertEquals("Normal FailedBinding: no persistent volumes available for this claim and no storage class is set",
        event(VolumeSync.syncClaim(explicitlyNone, observed)), "\"\" asks for no class: no default");
  }

  @Test
  void aClaimThatNamesItsVolumeIsBoundToItWhenItFits() {
    ObjectNode pv = volumeOf(volume("pv1").capacity("1Gi").json());
    ObjectNode pvc = claim("data").volumeName("pv1").json();
    assertEquals(List.of(new VolumeAction.Bind(pv, pvc)), VolumeSync.syncClaim(pvc, observed));
    ObjectNode tooBig = pending(claim("data").volumeName("pv1").request("5Gi").json());
    assertEquals("Warning VolumeMismatch: Cannot bind to requested volume \"pv1\": requested PV is too small",
        event(VolumeSync.syncClaim(tooBig, observed)));
    ObjectNode taken = pending(claim("other").volumeName("pv2").json());
    volumeOf(volume("pv2").claimRef("data", "uid-data").json());
    assertEquals("Warning FailedBinding: volume \"pv2\" already bound to a different claim.",
        event(VolumeSync.syncClaim(taken, observed)));
    ObjectNode missing = claim("data").volumeName("nowhere").json();
    assertEquals("Pending", status(VolumeSync.syncClaim(missing, observed).get(0)).path("phase").asText());
  }

  @Test
  void aBoundClaimWhoseVolumeIsGoneIsLostOnce() {
    ObjectNode pvc = claim("data").boundTo("gone").json();
    List<VolumeAction> actions = VolumeSync.syncClaim(pvc, observed);
    assertEquals("Lost", status(actions.get(0)).path("phase").asText());
    assertEquals("Warning ClaimLost: Bound claim has lost its PersistentVolume. Data on the volume is lost!",
        event(actions));
    ObjectNode lost = ((VolumeAction.UpdateClaimStatus) actions.get(0)).claim();
    assertEquals(List.of(), VolumeSync.syncClaim(lost, observed));
  }

  @Test
  void aBoundClaimWhoseVolumeHasAnotherClaimIsMisbound() {
    volumeOf(volume("pv1").claimRef("data", "someone-else").phase("Bound").json());
    assertEquals("Warning ClaimMisbound: Two claims are bound to the same volume, this one is bound incorrectly",
        event(VolumeSync.syncClaim(claim("data").boundTo("pv1").json(), observed)));
  }

  @Test
  void runningTheSyncAgainOnTheBindingsResultDoesNothing() {
    ObjectNode pv = volumeOf(volume("pv1").json());
    ObjectNode pvc = claim("data").json();
    ObjectNode boundPv = BindingEdits.volumeWithPhase(BindingEdits.volumeBoundTo(pv, ClaimInfo.of(pvc)), "Bound", "");
    ObjectNode boundPvc = BindingEdits.claimWithPhase(BindingEdits.claimBoundTo(pvc, boundPv), "Bound", boundPv);
    volumeOf(boundPv);
    assertEquals(List.of(), VolumeSync.syncClaim(boundPvc, observed));
    assertEquals(List.of(), VolumeSync.syncVolume(boundPv, boundPvc));
  }

  @Test
  void aVolumeTheSchedulerGaveAClaimIsBoundByTheController() {
    classOf(storageClass("local", WAIT, ""));
    ObjectNode chosen = volumeOf(volume("chosen").storageClass("local").claimRef("data", "uid-data").json());
    ObjectNode pvc = claim("data").storageClass("local").json();
    assertEquals(List.of(new VolumeAction.SyncClaim("default/data")), VolumeSync.syncVolume(chosen, pvc));
    assertEquals(List.of(new VolumeAction.Bind(chosen, pvc)), VolumeSync.syncClaim(pvc, observed));
  }

  // ---- volumes ----

  @Test
  void aNewVolumeBecomesAvailable() {
    ObjectNode pv = volume("pv1").phase("Pending").json();
    assertEquals("Available", status(VolumeSync.syncVolume(pv, null).get(0)).path("phase").asText());
    assertEquals(List.of(), VolumeSync.syncVolume(volume("pv1").json(), null));
    ObjectNode reserved = volume("pv1").phase("Pending").claimRef("data", "").json();
    assertEquals("Available", status(VolumeSync.syncVolume(reserved, null).get(0)).path("phase").asText(),
        "pre-bound by name: available to that claim");
  }

  @Test
  void aRetainedVolumeOfADeletedClaimIsReleasedAndStays() {
    ObjectNode pv = volume("pv1").claimRef("data", "uid-data").phase("Bound").json();
    List<VolumeAction> actions = VolumeSync.syncVolume(pv, null);
    assertEquals(1, actions.size());
    assertEquals("Released", status(actions.get(0)).path("phase").asText());
    ObjectNode released = ((VolumeAction.UpdateVolumeStatus) actions.get(0)).volume();
    assertEquals(List.of(), VolumeSync.syncVolume(released, null));
  }

  @Test
  void aDeletableVolumeOfADeletedClaimIsReleasedThenDeleted() {
    ObjectNode pv = volume("pv1").claimRef("data", "uid-data").phase("Bound").json();
    ((ObjectNode) pv.path("spec")).put("persistentVolumeReclaimPolicy", "Delete");
    List<VolumeAction> actions = VolumeSync.syncVolume(pv, null);
    ObjectNode released = ((VolumeAction.UpdateVolumeStatus) actions.get(0)).volume();
    assertEquals(List.of(new VolumeAction.UpdateVolumeStatus(released), new VolumeAction.Delete(released)), actions);
    assertEquals(List.of(new VolumeAction.Delete(released)), VolumeSync.syncVolume(released, null));
  }

  @Test
  void aRecycledVolumeFailsForWantOfARecycler() {
    ObjectNode pv = volume("pv1").claimRef("data", "uid-data").phase("Released").json();
    ((ObjectNode) pv.path("spec")).put("persistentVolumeReclaimPolicy", "Recycle");
    List<VolumeAction> actions = VolumeSync.syncVolume(pv, null);
    assertEquals("Failed", status(actions.get(0)).path("phase").asText());
    assertEquals("Warning VolumeFailedRecycle: No recycler plugin found for the volume!", event(actions));
  }

  @Test
  void aVolumeWhoseClaimGotAnotherIsFreedOrDeleted() {
    ObjectNode elsewhere = claim("data").boundTo("other").json();
    ObjectNode byController = BindingEdits.volumeBoundTo(volume("pv1").phase("Bound").json(),
        ClaimInfo.of(elsewhere));
    assertEquals(List.of(new VolumeAction.Unbind(byController)), VolumeSync.syncVolume(byController, elsewhere));
    ObjectNode provisioned = byController.deepCopy();
    ((ObjectNode) provisioned.path("metadata").path("annotations")).put("pv.kubernetes.io/provisioned-by",
        LocalPathProvisioner.NAME);
    ((ObjectNode) provisioned.path("spec")).put("persistentVolumeReclaimPolicy", "Delete");
    ((ObjectNode) provisioned.path("metadata")).putArray("finalizers").add(DeletionFinalizers.IN_TREE);
    List<VolumeAction> actions = VolumeSync.syncVolume(provisioned, elsewhere);
    assertEquals("Released", status(actions.get(0)).path("phase").asText());
    assertInstanceOf(VolumeAction.Delete.class, actions.get(1));
  }

  @Test
  void aVolumeWhoseClaimIsTerminatingStaysBound() {
    ObjectNode pv = volume("pv1").json();
    ObjectNode pvc = claim("data").json();
    ObjectNode boundPv = volumeOf(BindingEdits.volumeWithPhase(BindingEdits.volumeBoundTo(pv, ClaimInfo.of(pvc)),
        "Bound", ""));
    ObjectNode terminating = BindingEdits.claimWithPhase(BindingEdits.claimBoundTo(pvc, boundPv), "Bound", boundPv);
    ((ObjectNode) terminating.path("metadata")).put("deletionTimestamp", "2026-01-01T00:00:00Z")
        .putArray("finalizers").add("kubernetes.io/pvc-protection");
    assertEquals(List.of(), VolumeSync.syncVolume(boundPv, terminating), "the claim still exists: nothing is released");
    assertEquals(List.of(), VolumeSync.syncClaim(terminating, observed));
  }

  /** A volume the local-path provisioner made for claim {@code data}, bound to it. */
  private static ObjectNode provisioned(String reclaimPolicy, String... finalizers) {
    ObjectNode pv = volume("pvc-uid-data").claimRef("data", "uid-data").phase("Bound").json();
    ((ObjectNode) pv.path("metadata")).putObject("annotations").put("pv.kubernetes.io/provisioned-by",
        LocalPathProvisioner.NAME);
    ((ObjectNode) pv.path("spec")).put("persistentVolumeReclaimPolicy", reclaimPolicy);
    for (String finalizer : finalizers) {
      ((ObjectNode) pv.path("metadata")).withArray("finalizers").add(finalizer);
    }
    return pv;
  }

  @Test
  void aProvisionedDeleteVolumeWithoutTheDeletionFinalizerGetsItAndIsSyncedAgain() {
    ObjectNode pvc = claim("data").boundTo("pvc-uid-data").json();
    ObjectNode pv = provisioned("Delete", "kubernetes.io/pv-protection");
    ObjectNode withFinalizer = provisioned("Delete", "kubernetes.io/pv-protection", "kubernetes.io/pv-controller");
    assertEquals(List.of(new VolumeAction.UpdateVolume(withFinalizer), new VolumeAction.SyncVolume("pvc-uid-data")),
        VolumeSync.syncVolume(pv, pvc));
    assertEquals(List.of(), VolumeSync.syncVolume(withFinalizer, pvc), "the finalizer is there: a bound volume");
  }

  @Test
  void aRetainedVolumeLosesTheDeletionFinalizerSoItsDeletionIsNotHeld() {
    ObjectNode pvc = claim("data").boundTo("pvc-uid-data").json();
    ObjectNode retained = provisioned("Retain", "kubernetes.io/pv-controller", "kubernetes.io/pv-protection");
    assertEquals(List.of(new VolumeAction.UpdateVolume(provisioned("Retain", "kubernetes.io/pv-protection")),
        new VolumeAction.SyncVolume("pvc-uid-data")), VolumeSync.syncVolume(retained, pvc));
  }

  @Test
  void aDeleteVolumeDeletedBeforeItsClaimIsReleasedAndDeletedOnceTheClaimIsGone() {
    ObjectNode pv = provisioned("Delete", "kubernetes.io/pv-protection", "kubernetes.io/pv-controller");
    ((ObjectNode) pv.path("metadata")).put("deletionTimestamp", "2026-01-01T00:00:00Z");
    ObjectNode pvc = claim("data").boundTo("pvc-uid-data").json();
    assertEquals(List.of(), VolumeSync.syncVolume(pv, pvc), "Terminating, still bound: held by the finalizers");
    List<VolumeAction> actions = VolumeSync.syncVolume(pv, null);
    ObjectNode released = ((VolumeAction.UpdateVolumeStatus) actions.get(0)).volume();
    assertEquals("Released", released.path("status").path("phase").asText());
    assertEquals(List.of(new VolumeAction.UpdateVolumeStatus(released), new VolumeAction.Delete(released)), actions);
  }

  @Test
  void aBoundVolumeOfABoundClaimIsBound() {
    ObjectNode pvc = claim("data").boundTo("pv1").json();
    ObjectNode pv = volume("pv1").claimRef("data", "uid-data").phase("Available").json();
    assertEquals("Bound", status(VolumeSync.syncVolume(pv, pvc).get(0)).path("phase").asText());
  }

  @Test
  void aVolumeWithAnUnknownReclaimPolicyFails() {
    ObjectNode pv = volume("pv1").claimRef("data", "uid-data").phase("Bound").json();
    ((ObjectNode) pv.path("spec")).put("persistentVolumeReclaimPolicy", "Shred");
    List<VolumeAction> actions = VolumeSync.syncVolume(pv, null);
    assertTrue(event(actions).startsWith("Warning VolumeUnknownReclaimPolicy: "));
  }
}
