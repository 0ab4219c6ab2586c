package io.pekkube.actors.api.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.schema.Definition.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaCatalogTest {
  private final SchemaCatalog catalog = SchemaCatalog.builtin();

  @Test
  void everyBuiltinKindHasADefinitionWithMetadata() {
    List<String> missing = new ArrayList<>();
    for (ResourceType t : BuiltinTypes.ALL_TYPES) {
      var d = catalog.kind(t);
      if (d.isEmpty() || !d.get().properties().containsKey("metadata")) {
        missing.add(t.apiVersion() + " " + t.kind());
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void definitionsCarryKubernetesNames() {
    assertEquals("io.k8s.api.core.v1.ConfigMap", catalog.kind("v1", "ConfigMap").orElseThrow().name());
    assertEquals("io.k8s.api.apps.v1.Deployment", catalog.kind("apps/v1", "Deployment").orElseThrow().name());
    assertEquals("io.k8s.api.coordination.v1.Lease", catalog.kind("coordination.k8s.io/v1", "Lease").orElseThrow().name());
    assertEquals("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
        catalog.kind("apiextensions.k8s.io/v1", "CustomResourceDefinition").orElseThrow().name());
    assertEquals(new FieldType.Ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"),
        catalog.kind("v1", "Pod").orElseThrow().properties().get("metadata"));
    // A type only the model classes carry still shares meta/v1 definitions with the protobuf ones.
    assertEquals(new FieldType.Ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"),
        catalog.kind("discovery.k8s.io/v1", "EndpointSlice").orElseThrow().properties().get("metadata"));
    assertEquals(new FieldType.Ref("io.k8s.api.discovery.v1.EndpointPort"),
        ((FieldType.ArrayOf) catalog.kind("discovery.k8s.io/v1", "EndpointSlice").orElseThrow()
            .properties().get("ports")).items());
  }

  @Test
  void specialTypesHaveTheirJsonForms() {
    var meta = catalog.definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").orElseThrow();
    assertEquals(Kind.DATE_TIME, kindOf(meta.properties().get("creationTimestamp")));
    assertEquals(new FieldType.MapOf(FieldType.Scalar.STRING), meta.properties().get("labels"));
    var secret = catalog.kind("v1", "Secret").orElseThrow();
    assertEquals(new FieldType.MapOf(FieldType.Scalar.BYTES), secret.properties().get("data"));
    var requirements = catalog.definition("io.k8s.api.core.v1.ResourceRequirements").orElseThrow();
    assertEquals(new FieldType.MapOf(new FieldType.Ref("io.k8s.apimachinery.pkg.api.resource.Quantity")),
        requirements.properties().get("limits"));
    var port = catalog.definition("io.k8s.api.core.v1.ServicePort").orElseThrow();
    assertEquals(Kind.INT_OR_STRING, kindOf(port.properties().get("targetPort")));
    var revision = catalog.kind("apps/v1", "ControllerRevision").orElseThrow();
    assertEquals(Kind.FREE_FORM, kindOf(revision.properties().get("data")));
  }

  @Test
  void goInlinedMessagesAreFlattenedIntoTheParent() {
    var volume = catalog.definition("io.k8s.api.core.v1.Volume").orElseThrow();
    assertTrue(volume.properties().containsKey("configMap"));
    assertTrue(volume.properties().containsKey("name"));
    assertFalse(volume.properties().containsKey("volumeSource"));
    assertTrue(catalog.isInlined("k8s.io.api.core.v1.Volume", "volumeSource"));
    var probe = catalog.definition("io.k8s.api.core.v1.Probe").orElseThrow();
    assertTrue(probe.properties().containsKey("httpGet"));
    var ephemeral = catalog.definition("io.k8s.api.core.v1.EphemeralContainer").orElseThrow();
    assertTrue(ephemeral.properties().containsKey("image"));
    assertTrue(ephemeral.properties().containsKey("targetContainerName"));
  }

  @Test
  void requiredFieldsComeFromTheModelClasses() {
    var container = catalog.definition("io.k8s.api.core.v1.Container").orElseThrow();
    assertEquals(java.util.Set.of("name"), container.required());
    var spec = catalog.definition("io.k8s.api.apps.v1.DeploymentSpec").orElseThrow();
    assertTrue(spec.required().containsAll(List.of("selector", "template")));
  }

  private Kind kindOf(FieldType t) {
    return catalog.definition(((FieldType.Ref) t).name()).orElseThrow().kind();
  }
}
