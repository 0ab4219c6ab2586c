package io.pekkube.actors.controllers.persistentvolume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.events.EventRecorder;
import io.pekkube.actors.scheduler.framework.ClaimInfo;
import io.pekkube.actors.scheduler.framework.VolumeInfo;
import io.pekkube.actors.storage.BindingEdits;
import io.pekkube.actors.storage.VolumeMatching;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The decisions of Kubernetes' PersistentVolume controller ({@code syncClaim} and {@code syncVolume}), pure:
 * given a claim or a volume and what the controller observes, the actions of one sync. Nothing to do is an
 * empty list; running a sync again on its own result answers nothing more. Messages and event reasons are
 * Kubernetes' own.
 */
public final class VolumeSync {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";
  public static final String FAILED_BINDING = "FailedBinding";
  public static final String VOLUME_MISMATCH = "VolumeMismatch";
  public static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";
  public static final String WAIT_FOR_POD_SCHEDULED = "WaitForPodScheduled";
  public static final String PROVISIONING_FAILED = "ProvisioningFailed";
  public static final String PROVISIONING_SUCCEEDED = "ProvisioningSucceeded";
  public static final String EXTERNAL_PROVISIONING = "ExternalProvisioning";
  public static final String CLAIM_LOST = "ClaimLost";
  public static final String CLAIM_MISBOUND = "ClaimMisbound";
  public static final String VOLUME_FAILED_DELETE = "VolumeFailedDelete";
  public static final String VOLUME_FAILED_RECYCLE = "VolumeFailedRecycle";
  public static final String VOLUME_UNKNOWN_RECLAIM_POLICY = "VolumeUnknownReclaimPolicy";
  public static final String NO_VOLUME_NO_CLASS =
      "no persistent volumes available for this claim and no storage class is set";
  public static final String ANN_STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
  public static final String ANN_BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
  static final String ANN_DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
  static final String ANN_BETA_DEFAULT_CLASS = "storageclass.beta.kubernetes.io/is-default-class";

  private VolumeSync() {}

  // ---- claims ----

  /** Kubernetes' {@code syncClaim}: a claim whose binding never completed is matched, else checked. */
  public static List<VolumeAction> syncClaim(ObjectNode claim, Observed observed) {
    ClaimInfo info = ClaimInfo.of(claim);
    return info.bindCompleted() ? syncBoundClaim(claim, info, observed) : syncUnboundClaim(claim, info, observed);
  }

  private static List<VolumeAction> syncUnboundClaim(ObjectNode claim, ClaimInfo info, Observed observed) {
    List<VolumeAction> actions = new ArrayList<>();
    if (info.volumeName().isEmpty()) {
      boolean delayBinding = delayBinding(info, observed);
      VolumeInfo volume = VolumeMatching.findBestMatchForClaim(info, observed.volumes().values(), delayBinding);
      if (volume != null) {
        return bind(volume.object(), claim);
      }
      Optional<ObjectNode> withDefault = withDefaultClass(claim, observed);
      if (withDefault.isPresent()) {
        return List.of(new VolumeAction.UpdateClaim(withDefault.get()));
      }
      if (delayBinding && info.selectedNode() == null) {
        actions.add(waitingForConsumer(claim, info, observed));
      } else if (!info.storageClassName().isEmpty()) {
        return provision(claim, info, observed);
      } else {
        actions.add(event(claim, NORMAL, FAILED_BINDING, NO_VOLUME_NO_CLASS));
      }
      claimPhase(claim, "Pending", null).ifPresent(actions::add);
      return actions;
    }
    VolumeInfo volume = observed.volumes().get(info.volumeName());
    if (volume == null) {
      claimPhase(claim, "Pending", null).ifPresent(actions::add); // asked for a volume that does not exist yet
      return actions;
    }
    if (volume.claimRef() == null) {
      String mismatch = mismatch(volume, info);
      if (mismatch == null) {
        return bind(volume.object(), claim);
      }
      actions.add(event(claim, WARNING, VOLUME_MISMATCH,
          "Cannot bind to requested volume \"" + volume.name() + "\": " + mismatch));
      claimPhase(claim, "Pending", null).ifPresent(actions::add);
      return actions;
    }
    if (volume.boundTo(info)) {
      return bind(volume.object(), claim);
    }
    actions.add(event(claim, WARNING, FAILED_BINDING,
        "volume \"" + volume.name() + "\" already bound to a different claim."));
    if (!annotations(claim).has(ClaimInfo.ANN_BOUND_BY_CONTROLLER)) {
      claimPhase(claim, "Pending", null).ifPresent(actions::add); // the user asked for it: wait until it is free
    }
    return actions;
  }

  private static List<VolumeAction> syncBoundClaim(ObjectNode claim, ClaimInfo info, Observed observed) {
    if (info.volumeName().isEmpty()) {
      return claimPhaseWithEvent(claim, "Lost", WARNING, CLAIM_LOST,
          "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!");
    }
    VolumeInfo volume = observed.volumes().get(info.volumeName());
    if (volume == null) {
      return claimPhaseWithEvent(claim, "Lost", WARNING, CLAIM_LOST,
          "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
    }
    if (volume.claimRef() == null || volume.claimRef().uid().equals(info.uid())) {
      return bind(volume.object(), claim);
    }
    return claimPhaseWithEvent(claim, "Lost", WARNING, CLAIM_MISBOUND,
        "Two claims are bound to the same volume, this one is bound incorrectly");
  }

  /** The bind, when any of its four writes would change something. */
  static List<VolumeAction> bind(ObjectNode volume, ObjectNode claim) {
    ClaimInfo info = ClaimInfo.of(claim);
    boolean done = BindingEdits.volumeBoundTo(volume, info).equals(volume)
        && "Bound".equals(volume.path("status").path("phase").asText())
        && BindingEdits.claimBoundTo(claim, volume).equals(claim)
        && BindingEdits.claimWithPhase(claim, "Bound", volume).equals(claim);
    return done ? List.of() : List.of(new VolumeAction.Bind(volume, claim));
  }

  /** Kubernetes' {@code IsDelayBindingMode}: the claim's class exists and waits for the first consumer. */
  static boolean delayBinding(ClaimInfo claim, Observed observed) {
    ObjectNode c = claim.storageClassName().isEmpty() ? null : observed.classes().get(claim.storageClassName());
    return c != null && "WaitForFirstConsumer".equals(c.path("volumeBindingMode").asText());
  }

  /** {@code emitEventForUnboundDelayBindingClaim}: waiting for a pod, or for the named pods to be scheduled. */
  private static VolumeAction waitingForConsumer(ObjectNode claim, ClaimInfo info, Observed observed) {
    List<String> pods = observed.unscheduledPodsUsing(info.namespace(), info.name());
    if (pods.isEmpty()) {
      return event(claim, NORMAL, WAIT_FOR_FIRST_CONSUMER, "waiting for first consumer to be created before binding");
    }
    return event(claim, NORMAL, WAIT_FOR_POD_SCHEDULED, pods.size() == 1 ? "waiting for pod " + pods.get(0)
        + " to be scheduled" : "waiting for pods " + String.join(",", pods) + " to be scheduled");
  }

  /**
   * Kubernetes' {@code provisionClaim}: this controller's own provisioner provisions (an operation); a
   * {@code kubernetes.io/} provisioner it does not have fails; any other is an external provisioner's job:
   * the claim is annotated for it and waits.
   */
  private static List<VolumeAction> provision(ObjectNode claim, ClaimInfo info, Observed observed) {
    ObjectNode storageClass = observed.classes().get(info.storageClassName());
    if (storageClass == null) {
      return List.of(event(claim, WARNING, PROVISIONING_FAILED,
          "storageclass.storage.k8s.io \"" + info.storageClassName() + "\" not found"));
    }
    String provisioner = storageClass.path("provisioner").asText("");
    if (LocalPathProvisioner.NAME.equals(provisioner)) {
      return List.of(new VolumeAction.Provision(claim, storageClass));
    }
    if (provisioner.startsWith("kubernetes.io/")) {
      return List.of(event(claim, WARNING, PROVISIONING_FAILED, "no volume plugin matched name: " + provisioner));
    }
    List<VolumeAction> actions = new ArrayList<>(2);
    ObjectNode annotated = withProvisioner(claim, provisioner);
    if (!annotated.equals(claim)) {
      actions.add(new VolumeAction.UpdateClaim(annotated));
    }
    actions.add(event(annotated, NORMAL, EXTERNAL_PROVISIONING, "Waiting for a volume to be created either by the "
        + "external provisioner '" + provisioner + "' or manually by the system administrator. If volume creation is "
        + "delayed, please verify that the provisioner is running and correctly registered."));
    return actions;
  }

  /** Kubernetes' {@code setClaimProvisioner}: the annotations that tell a provisioner the claim is its. */
  static ObjectNode withProvisioner(ObjectNode claim, String provisioner) {
    if (provisioner.equals(annotations(claim).path(ANN_STORAGE_PROVISIONER).asText(null))) {
      return claim;
    }
    ObjectNode annotated = claim.deepCopy();
    ((ObjectNode) annotated.with("metadata").with("annotations")).put(ANN_BETA_STORAGE_PROVISIONER, provisioner)
        .put(ANN_STORAGE_PROVISIONER, provisioner);
    return annotated;
  }

  /**
   * Kubernetes' {@code assignDefaultStorageClass}: a claim that names no class at all (not even "") gets the
   * default class, the newest when there are several.
   */
  static Optional<ObjectNode> withDefaultClass(ObjectNode claim, Observed observed) {
    if (claim.path("spec").has("storageClassName") && !claim.path("spec").get("storageClassName").isNull()
        || annotations(claim).has(ClaimInfo.ANN_BETA_STORAGE_CLASS)) {
      return Optional.empty();
    }
    Optional<ObjectNode> chosen = observed.classes().values().stream()
        .filter(c -> "true".equals(annotations(c).path(ANN_DEFAULT_CLASS).asText())
            || "true".equals(annotations(c).path(ANN_BETA_DEFAULT_CLASS).asText()))
        .max(Comparator.<ObjectNode, String>comparing(c -> Json.meta(c, "creationTimestamp"))
            .thenComparing(c -> Json.meta(c, "name"), Comparator.reverseOrder()));
    return chosen.map(c -> {
      ObjectNode withClass = claim.deepCopy();
      ((ObjectNode) withClass.with("spec")).put("storageClassName", Json.meta(c, "name"));
      return withClass;
    });
  }

  /** Kubernetes' {@code checkVolumeSatisfyClaim}: why the volume a claim asks for does not fit it; null if it does. */
  static String mismatch(VolumeInfo volume, ClaimInfo claim) {
    if (volume.deleting()) {
      return "the volume is marked for deletion \"" + volume.name() + "\"";
    }
    if (volume.capacityBytes() < claim.requestBytes()) {
      return "requested PV is too small";
    }
    if (!volume.storageClassName().equals(claim.storageClassName())) {
      return "storageClassName does not match";
    }
    if (!volume.volumeMode().equals(claim.volumeMode())) {
      return "incompatible volumeMode";
    }
    if (!VolumeMatching.hasAccessModes(volume, claim)) {
      return "incompatible accessMode";
    }
    return null;
  }

  // ---- volumes ----

  /**
   * Kubernetes' {@code syncVolume}. {@code claim} is the claim the volume's {@code claimRef} names, read with
   * care by the caller (null when it does not exist or is another claim of the same name). First the volume's
   * deletion finalizers are put right ({@link DeletionFinalizers}); when that writes, the volume is synced
   * again on what was written.
   */
  public static List<VolumeAction> syncVolume(ObjectNode volume, ObjectNode claim) {
    ObjectNode withFinalizers = DeletionFinalizers.reconciled(volume);
    if (!withFinalizers.equals(volume)) {
      return List.of(new VolumeAction.UpdateVolume(withFinalizers),
          new VolumeAction.SyncVolume(Json.meta(volume, "name")));
    }
    VolumeInfo info = VolumeInfo.of(volume);
    if (info.claimRef() == null || info.claimRef().uid().isEmpty()) {
      return volumePhase(volume, "Available"); // unused, or reserved for a claim that will bind it
    }
    if (claim == null) {
      return released(volume, info);
    }
    ClaimInfo bound = ClaimInfo.of(claim);
    if (bound.volumeName().isEmpty()) {
      if (!info.volumeMode().equals(bound.volumeMode())) {
        return List.of(event(volume, WARNING, VOLUME_MISMATCH, "Cannot bind PersistentVolume to requested "
                + "PersistentVolumeClaim \"" + bound.name() + "\" due to incompatible volumeMode."),
            event(claim, WARNING, VOLUME_MISMATCH, "Cannot bind PersistentVolume \"" + info.name()
                + "\" to requested PersistentVolumeClaim due to incompatible volumeMode."));
      }
      // Bound (by this controller, the scheduler or a provisioner) and the claim not yet: its sync finishes it.
      return List.of(new VolumeAction.SyncClaim(Observed.key(bound.namespace(), bound.name())));
    }
    if (bound.volumeName().equals(info.name())) {
      return volumePhase(volume, "Bound");
    }
    if (annotations(volume).has(LocalPathProvisioner.ANN_PROVISIONED_BY) && "Delete".equals(reclaimPolicy(volume))) {
      return released(volume, info); // provisioned for the claim, which got another volume: not needed
    }
    return List.of(new VolumeAction.Unbind(volume));
  }

  /** The claim is gone: the volume is Released (a Failed one stays Failed) and its reclaim policy applies. */
  private static List<VolumeAction> released(ObjectNode volume, VolumeInfo info) {
    List<VolumeAction> actions = new ArrayList<>();
    ObjectNode current = volume;
    if (!info.phase().equals("Released") && !info.phase().equals("Failed")) {
      current = BindingEdits.volumeWithPhase(volume, "Released", "");
      actions.add(new VolumeAction.UpdateVolumeStatus(current));
    }
    switch (reclaimPolicy(volume)) {
      case "Retain" -> { }
      case "Delete" -> actions.add(new VolumeAction.Delete(current));
      case "Recycle" -> actions.addAll(volumePhaseWithEvent(current, "Failed", WARNING, VOLUME_FAILED_RECYCLE,
          "No recycler plugin found for the volume!"));
      default -> actions.addAll(volumePhaseWithEvent(current, "Failed", WARNING, VOLUME_UNKNOWN_RECLAIM_POLICY,
          "Volume has unrecognized PersistentVolumeReclaimPolicy"));
    }
    return actions;
  }

  /** An absent policy is Retain, as Kubernetes defaults it. */
  static String reclaimPolicy(JsonNode volume) {
    return volume.path("spec").path("persistentVolumeReclaimPolicy").asText("Retain");
  }

  // ---- the writes ----

  private static Optional<VolumeAction> claimPhase(ObjectNode claim, String phase, ObjectNode volume) {
    ObjectNode next = BindingEdits.claimWithPhase(claim, phase, volume);
    return next.equals(claim) ? Optional.empty() : Optional.of(new VolumeAction.UpdateClaimStatus(next));
  }

  /** {@code updateClaimStatusWithEvent}: the event only when the phase changes. */
  private static List<VolumeAction> claimPhaseWithEvent(ObjectNode claim, String phase, String type, String reason,
      String message) {
    if (phase.equals(claim.path("status").path("phase").asText())) {
      return List.of();
    }
    return List.of(new VolumeAction.UpdateClaimStatus(BindingEdits.claimWithPhase(claim, phase, null)),
        event(claim, type, reason, message));
  }

  private static List<VolumeAction> volumePhase(ObjectNode volume, String phase) {
    if (phase.equals(volume.path("status").path("phase").asText())) {
      return List.of();
    }
    return List.of(new VolumeAction.UpdateVolumeStatus(BindingEdits.volumeWithPhase(volume, phase, "")));
  }

  /** {@code updateVolumePhaseWithEvent}: the event only when the phase changes. */
  static List<VolumeAction> volumePhaseWithEvent(ObjectNode volume, String phase, String type, String reason,
      String message) {
    if (phase.equals(volume.path("status").path("phase").asText())) {
      return List.of();
    }
    return List.of(new VolumeAction.UpdateVolumeStatus(BindingEdits.volumeWithPhase(volume, phase, message)),
        event(volume, type, reason, message));
  }

  static VolumeAction.Event event(JsonNode object, String type, String reason, String message) {
    return new VolumeAction.Event(EventRecorder.Involved.of(object), type, reason, message);
  }

  private static JsonNode annotations(JsonNode object) {
    return object.path("metadata").path("annotations");
  }
}
