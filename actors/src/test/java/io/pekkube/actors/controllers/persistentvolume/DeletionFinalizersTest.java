package io.pekkube.actors.controllers.persistentvolume;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Given a volume's provisioner, reclaim policy and finalizers, the finalizers it should carry. */
class DeletionFinalizersTest {

  @ParameterizedTest(name = "{0} {1} [{2}] deleting={3} -> [{4}]")
  @CsvSource(delimiter = '|', value = {
      // the controller's own provisioners: Delete holds the volume until its storage is deleted
      "pekkube.io/local-path | Delete  | pv-protection                | false | pv-protection,pv-controller",
      "pekkube.io/local-path | Delete  | pv-protection,pv-controller  | false | pv-protection,pv-controller",
      "kubernetes.io/gce-pd  | Delete  | ''                           | false | pv-controller",
      "pekkube.io/local-path | Retain  | pv-controller,pv-protection  | false | pv-protection",
      "pekkube.io/local-path | Recycle | pv-controller                | false | ''",
      "pekkube.io/local-path | Delete  | pv-protection,external       | false | pv-protection,pv-controller",
      // being deleted already: the API takes no new finalizer
      "pekkube.io/local-path | Delete  | pv-protection                | true  | pv-protection",
      "pekkube.io/local-path | Retain  | pv-controller                | true  | ''",
      // not its own: a statically made volume, an external (CSI) provisioner's, left as they are
      "''                    | Delete  | pv-protection                | false | pv-protection",
      "csi.example.com       | Delete  | external                     | false | external",
      "rancher.io/local-path | Retain  | pv-controller                | false | pv-controller"})
  void theVolumeCarriesTheDeletionFinalizerOnlyWhenItsOwnStorageIsToBeDeleted(String provisionedBy, String policy,
      String finalizers, boolean deleting, String expected) {
    ObjectNode volume = Json.object();
    ObjectNode meta = volume.putObject("metadata").put("name", "pv1");
    if (!provisionedBy.isEmpty()) {
      meta.putObject("annotations").put("pv.kubernetes.io/provisioned-by", provisionedBy);
    }
    if (deleting) {
      meta.put("deletionTimestamp", "2026-01-01T00:00:00Z");
    }
    if (!finalizers.isEmpty()) {
      for (String f : finalizers.split(",")) {
        meta.withArray("finalizers").add(full(f));
      }
    }
    volume.putObject("spec").put("persistentVolumeReclaimPolicy", policy);
    StringBuilder got = new StringBuilder();
    DeletionFinalizers.reconciled(volume).path("metadata").path("finalizers")
        .forEach(f -> got.append(got.isEmpty() ? "" : ",").append(f.asText()));
    StringBuilder want = new StringBuilder();
    if (!expected.isEmpty()) {
      for (String f : expected.split(",")) {
        want.append(want.isEmpty() ? "" : ",").append(full(f));
      }
    }
    assertEquals(want.toString(), got.toString());
  }

  private static String full(String shortName) {
    return switch (shortName) {
      case "pv-protection" -> "kubernetes.io/pv-protection";
      case "pv-controller" -> DeletionFinalizers.IN_TREE;
      case "external" -> DeletionFinalizers.EXTERNAL;
      default -> throw new IllegalArgumentException(shortName);
    };
  }
}
