package io.pekkube.actors.controllers.pvprotection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.storage.ProtectionFinalizers;
import java.util.Optional;

/**
 * The decision of Kubernetes' PV protection controller ({@code processPV}), pure: a volume being deleted loses
 * its {@code kubernetes.io/pv-protection} finalizer once it is not Bound (its phase, which the PersistentVolume
 * controller keeps: Available, Released or Failed once its claim is gone), and a volume not being deleted that
 * lacks the finalizer (made before protection was on) gets it.
 */
public final class VolumeProtection {

  private VolumeProtection() {}

  /** The volume one sync writes; empty when there is nothing to do. */
  public static Optional<ObjectNode> decide(ObjectNode volume) {
    if (ProtectionFinalizers.isDeletionCandidate(volume, ProtectionFinalizers.PV)) {
      return inUse(volume) ? Optional.empty()
          : Optional.of(ProtectionFinalizers.without(volume, ProtectionFinalizers.PV));
    }
    if (ProtectionFinalizers.needToAdd(volume, ProtectionFinalizers.PV)) {
      return Optional.of(ProtectionFinalizers.with(volume, ProtectionFinalizers.PV));
    }
    return Optional.empty();
  }

  /** Kubernetes' {@code isBeingUsed}: bound to a claim, as the volume's status says. */
  static boolean inUse(ObjectNode volume) {
    return "Bound".equals(volume.path("status").path("phase").asText());
  }
}
