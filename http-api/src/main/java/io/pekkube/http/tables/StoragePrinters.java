package io.pekkube.http.tables;

import static io.pekkube.http.tables.Cells.age;
import static io.pekkube.http.tables.Cells.name;
import static io.pekkube.http.tables.Cells.present;
import static io.pekkube.http.tables.Cells.row;
import static io.pekkube.http.tables.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Printers of volumes: PersistentVolumes, PersistentVolumeClaims (core) and StorageClasses. */
final class StoragePrinters {
  private static final String UNSET = "<unset>";

  private StoragePrinters() {}

  static Map<String, Printer> all() {
    return Map.of(
        "persistentvolumes", persistentVolume(),
        "persistentvolumeclaims", persistentVolumeClaim(),
        "storageclasses.storage.k8s.io", storageClass());
  }

  static Printer persistentVolume() {
    return Printer.of((o, now) -> {
          JsonNode spec = o.path("spec");
          JsonNode claim = spec.path("claimRef");
          String claimCell = claim.isObject() ? text(claim, "namespace") + "/" + text(claim, "name") : "";
          String phase = present(o, "metadata", "deletionTimestamp") ? "Terminating" : text(o, "status", "phase");
          return row(name(o), text(spec, "capacity", "storage"), accessModes(spec.path("accessModes")),
              text(spec, "persistentVolumeReclaimPolicy"), phase, claimCell, storageClass(o),
              orUnset(text(spec, "volumeAttributesClassName")), text(o, "status", "reason"), age(o, now),
              orUnset(text(spec, "volumeMode")));
        },
        Column.nameColumn(),
        Column.text("Capacity", "capacity is the description of the persistent volume's resources and capacity."),
        Column.text("Access Modes", "accessModes contains all ways the volume can be mounted."),
        Column.text("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume"
            + " when released from its claim."),
        Column.text("Status", "phase indicates if a volume is available, bound to a claim, or released by a"
            + " claim."),
        Column.text("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and"
            + " PersistentVolumeClaim."),
        Column.text("StorageClass", "StorageClass of the pv"),
        Column.text("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
        Column.text("Reason", "reason is a brief CamelCase string that describes any failure."),
        Column.ageColumn(),
        Column.text("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted"
            + " filesystem or to remain in raw block state.").wide());
  }

  static Printer persistentVolumeClaim() {
    return Printer.of((o, now) -> {
          JsonNode spec = o.path("spec");
          String phase = present(o, "metadata", "deletionTimestamp") ? "Terminating" : text(o, "status", "phase");
          String capacity = "";
          String modes = "";
          if (!text(spec, "volumeName").isEmpty()) {
            modes = accessModes(o.path("status").path("accessModes"));
            capacity = text(o, "status", "capacity", "storage");
          }
          return row(name(o), phase, text(spec, "volumeName"), capacity, modes, storageClass(o),
              orUnset(text(spec, "volumeAttributesClassName")), age(o, now), orUnset(text(spec, "volumeMode")));
        },
        Column.nameColumn(),
        Column.text("Status", "phase represents the current phase of PersistentVolumeClaim."),
        Column.text("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
        Column.text("Capacity", "capacity represents the actual resources of the underlying volume."),
        Column.text("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has."),
        Column.text("StorageClass", "StorageClass of the pvc"),
        Column.text("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
        Column.ageColumn(),
        Column.text("VolumeMode", "volumeMode defines what type of volume is required by the claim.").wide());
  }

  /** RWO, ROX, RWX, RWOP in that order, as {@code GetAccessModesAsString}. */
  static String accessModes(JsonNode modes) {
    List<String> given = Cells.strings(modes);
    List<String> out = new ArrayList<>();
    String[][] order = {{"ReadWriteOnce", "RWO"}, {"ReadOnlyMany", "ROX"}, {"ReadWriteMany", "RWX"},
        {"ReadWriteOncePod", "RWOP"}};
    for (String[] mode : order) {
      if (given.contains(mode[0])) {
        out.add(mode[1]);
      }
    }
    return String.join(",", out);
  }

  /** spec.storageClassName, or the beta annotation older objects carry. */
  private static String storageClass(JsonNode o) {
    String fromSpec = text(o, "spec", "storageClassName");
    return fromSpec.isEmpty()
        ? text(o.path("metadata").path("annotations"), "volume.beta.kubernetes.io/storage-class")
        : fromSpec;
  }

  private static String orUnset(String s) {
    return s.isEmpty() ? UNSET : s;
  }

  static Printer storageClass() {
    return Printer.of((o, now) -> {
          String name = name(o);
          if (text(o.path("metadata").path("annotations"), "storageclass.kubernetes.io/is-default-class")
              .equals("true")) {
            name += " (default)";
          }
          String reclaim = text(o, "reclaimPolicy").isEmpty() ? "Delete" : text(o, "reclaimPolicy");
          String binding = text(o, "volumeBindingMode").isEmpty() ? "Immediate" : text(o, "volumeBindingMode");
          return row(name, text(o, "provisioner"), reclaim, binding,
              Boolean.toString(o.path("allowVolumeExpansion").asBoolean(false)), age(o, now));
        },
        Column.nameColumn(),
        Column.text("Provisioner", "provisioner indicates the type of the provisioner."),
        Column.text("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned"
            + " PersistentVolumes of this storage class."),
        Column.text("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be"
            + " provisioned and bound."),
        Column.text("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow volume"
            + " expand."),
        Column.ageColumn());
  }
}
