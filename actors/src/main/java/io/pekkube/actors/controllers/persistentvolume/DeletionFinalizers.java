package io.pekkube.actors.controllers.persistentvolume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.storage.ProtectionFinalizers;

/**
 * Kubernetes' HonorPVReclaimPolicy (KEP-2644), pure: a dynamically provisioned volume with reclaim policy Delete
 * carries {@value #IN_TREE} until the PersistentVolume controller has deleted its storage, so a volume deleted
 * before its claim is still reclaimed instead of leaving its storage behind. The controller owns the finalizer
 * of the volumes of its own provisioners ({@code kubernetes.io/...} and {@value LocalPathProvisioner#NAME});
 * {@value #EXTERNAL} belongs to a CSI driver's external-provisioner, which adds and removes it itself.
 */
final class DeletionFinalizers {
  /** Kubernetes' {@code PVDeletionInTreeProtectionFinalizer}. */
  static final String IN_TREE = "kubernetes.io/pv-controller";
  /** Kubernetes' {@code PVDeletionProtectionFinalizer}, the external-provisioner's. */
  static final String EXTERNAL = "external-provisioner.volume.kubernetes.io/finalizer";

  private DeletionFinalizers() {}

  /**
   * Kubernetes' {@code modifyDeletionFinalizers}: the volume with the deletion finalizers it should carry, the
   * same object when they are right. Only a volume this controller's provisioner made is touched: with Delete it
   * gets {@value #IN_TREE}, with Retain or Recycle it loses it (its policy was changed: nothing is to be deleted),
   * and it never keeps {@value #EXTERNAL}. A volume already being deleted is not given the finalizer: Kubernetes'
   * API refuses new finalizers on such an object, and its deletion goes on as it did before the feature.
   */
  static ObjectNode reconciled(ObjectNode volume) {
    if (!ownProvisioner(volume)) {
      return volume;
    }
    ObjectNode result = volume;
    String policy = volume.path("spec").path("persistentVolumeReclaimPolicy").asText("");
    if (policy.equals("Delete") && ProtectionFinalizers.needToAdd(volume, IN_TREE)) {
      result = ProtectionFinalizers.with(result, IN_TREE);
    } else if ((policy.equals("Retain") || policy.equals("Recycle")) && ProtectionFinalizers.has(volume, IN_TREE)) {
      result = ProtectionFinalizers.without(result, IN_TREE);
    }
    if (ProtectionFinalizers.has(result, EXTERNAL)) {
      result = ProtectionFinalizers.without(result, EXTERNAL);
    }
    return result;
  }

  /** Provisioned ({@code pv.kubernetes.io/provisioned-by}) by a provisioner of this controller, not an external one. */
  private static boolean ownProvisioner(JsonNode volume) {
    String provisioner = volume.path("metadata").path("annotations").path(LocalPathProvisioner.ANN_PROVISIONED_BY)
        .asText("");
    return provisioner.equals(LocalPathProvisioner.NAME) || provisioner.startsWith("kubernetes.io/");
  }
}
