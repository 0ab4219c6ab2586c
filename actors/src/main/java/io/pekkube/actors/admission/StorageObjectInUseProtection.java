package io.pekkube.actors.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.storage.ProtectionFinalizers;

/**
 * Kubernetes' StorageObjectInUseProtection admission plugin: every new PersistentVolumeClaim gets the
 * {@code kubernetes.io/pvc-protection} finalizer and every new PersistentVolume {@code kubernetes.io/pv-protection},
 * so that deleting one only marks it until its protection controller finds it unused. A finalizer is set only
 * while the controller that removes it runs ({@code pekkube.controllers.pvc-protection.enabled},
 * {@code pv-protection.enabled}): without it nothing could ever finish the deletion.
 */
public record StorageObjectInUseProtection(boolean claims, boolean volumes) {

  public static StorageObjectInUseProtection from(Config config) {
    return new StorageObjectInUseProtection(config.getBoolean("pekkube.controllers.pvc-protection.enabled"),
        config.getBoolean("pekkube.controllers.pv-protection.enabled"));
  }

  /** Adds the type's finalizer to a new object in place; other types are left alone. */
  public void admit(ResourceType type, ObjectNode object) {
    if (claims && type.equals(BuiltinTypes.PERSISTENT_VOLUME_CLAIM)) {
      ProtectionFinalizers.add(object, ProtectionFinalizers.PVC);
    } else if (volumes && type.equals(BuiltinTypes.PERSISTENT_VOLUME)) {
      ProtectionFinalizers.add(object, ProtectionFinalizers.PV);
    }
  }
}
