package io.pekkube.actors.controllers.persistentvolume;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.events.EventRecorder;

/**
 * One thing a sync of the volume controller does ({@link VolumeSync}). Objects are the edited copies to write,
 * with the resourceVersion they were read at, so a write over a newer version fails and the sync runs again.
 */
public sealed interface VolumeAction {

  /**
   * Kubernetes' {@code bind}: the volume's {@code claimRef}, its phase Bound, the claim's {@code volumeName} and
   * annotations, its phase Bound; each written only when it changes, each on the result of the one before.
   */
  record Bind(ObjectNode volume, ObjectNode claim) implements VolumeAction {}

  /** Kubernetes' {@code unbindVolume}: the volume's binding undone, then its phase Available. */
  record Unbind(ObjectNode volume) implements VolumeAction {}

  /** A write of the volume's metadata and spec (its deletion finalizers). */
  record UpdateVolume(ObjectNode volume) implements VolumeAction {}

  /** A write of the claim's metadata and spec (its class, its provisioner annotations). */
  record UpdateClaim(ObjectNode claim) implements VolumeAction {}

  record UpdateClaimStatus(ObjectNode claim) implements VolumeAction {}

  record UpdateVolumeStatus(ObjectNode volume) implements VolumeAction {}

  /** An Event about the claim or the volume, as the persistentvolume-controller reports it. */
  record Event(EventRecorder.Involved object, String type, String reason, String message) implements VolumeAction {}

  /** The claim ({@code namespace/name}) to be synced soon: its volume waits for it. */
  record SyncClaim(String key) implements VolumeAction {}

  /** The volume (its name) to be synced again: the sync wrote it and goes on from what was written. */
  record SyncVolume(String name) implements VolumeAction {}

  /** Provision a volume for the claim with the class's provisioner (an operation that outlives the sync). */
  record Provision(ObjectNode claim, ObjectNode storageClass) implements VolumeAction {}

  /** Delete the released volume's storage and then the volume (an operation that outlives the sync). */
  record Delete(ObjectNode volume) implements VolumeAction {}
}
