package io.pekkube.http.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.schema.SchemaCatalog;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtobufBodiesTest {
  private final ProtobufBodies bodies = new ProtobufBodies(SchemaCatalog.builtin());

  static byte[] envelope(String apiVersion, String kind, MessageLite object) {
    Runtime.Unknown unknown = Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
        .setRaw(object.toByteString())
        .setContentEncoding("")
        .setContentType("")
        .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'k', '8', 's', 0});
    out.writeBytes(unknown.toByteArray());
    return out.toByteArray();
  }

  private static Meta.ObjectMeta.Builder meta(String name) {
    // Go writes every non-pointer field: empty strings, zero generation, a zero creationTimestamp.
    return Meta.ObjectMeta.newBuilder().setName(name).setNamespace("").setGenerateName("")
        .setGeneration(0).setCreationTimestamp(Meta.Time.newBuilder().setSeconds(0).setNanos(0));
  }

  @Test
  void configMapDecodesToItsJson() {
    V1.ConfigMap cm = V1.ConfigMap.newBuilder()
        .setMetadata(meta("settings").putLabels("app", "web"))
        .putData("a", "b")
        .putBinaryData("bin", ByteString.copyFrom(new byte[] {1, 2, 3}))
        .build();
    ProtobufBodies.Decoded d = bodies.decode(envelope("v1", "ConfigMap", cm));
    assertNull(d.error());
    assertEquals(Json.parseTrusted("""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","labels":{"app":"web"}},
         "data":{"a":"b"},"binaryData":{"bin":"AQID"}}"""), d.object());
  }

  @Test
  void secretBytesBecomeBase64() {
    V1.Secret secret = V1.Secret.newBuilder()
        .setMetadata(meta("creds"))
        .setType("Opaque")
        .putData("password", ByteString.copyFrom("s3cr3t", StandardCharsets.UTF_8))
        .build();
    ProtobufBodies.Decoded d = bodies.decode(envelope("v1", "Secret", secret));
    assertEquals(Json.parseTrusted("""
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"creds"},"type":"Opaque",
         "data":{"password":"czNjcjN0"}}"""), d.object());
  }

  @Test
  void deploymentWithQuantitiesIntOrStringAndInlinedVolumeSource() {
    V1.Container container = V1.Container.newBuilder()
        .setName("web").setImage("nginx").setStdin(false)
        .addPorts(V1.ContainerPort.newBuilder().setContainerPort(80).setProtocol("TCP"))
        .setResources(V1.ResourceRequirements.newBuilder()
            .putLimits("cpu", Resource.Quantity.newBuilder().setString("500m").build()))
        .setLivenessProbe(V1.Probe.newBuilder().setHandler(V1.ProbeHandler.newBuilder()
            .setHttpGet(V1.HTTPGetAction.newBuilder().setPath("/").setPort(
                IntStr.IntOrString.newBuilder().setType(1).setStrVal("http")))))
        .build();
    V1.Volume volume = V1.Volume.newBuilder().setName("cfg").setVolumeSource(V1.VolumeSource.newBuilder()
        .setConfigMap(V1.ConfigMapVolumeSource.newBuilder().setLocalObjectReference(
            V1.LocalObjectReference.newBuilder().setName("settings")))).build();
    V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
        .setMetadata(meta("web").setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1700000000)))
        .setSpec(V1Apps.DeploymentSpec.newBuilder()
            .setReplicas(3)
            .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "web"))
            .setStrategy(V1Apps.DeploymentStrategy.newBuilder())
            .setTemplate(V1.PodTemplateSpec.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().putLabels("app", "web"))
                .setSpec(V1.PodSpec.newBuilder().addContainers(container).addVolumes(volume))))
        .setStatus(V1Apps.DeploymentStatus.newBuilder().setReplicas(0))
        .build();
    ProtobufBodies.Decoded d = bodies.decode(envelope("apps/v1", "Deployment", deployment));
    assertNull(d.error());
    assertEquals(Json.parseTrusted("""
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"web","creationTimestamp":"2023-11-14T22:13:20Z"},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"strategy":{},
           "template":{"metadata":{"labels":{"app":"web"}},"spec":{
             "volumes":[{"name":"cfg","configMap":{"name":"settings"}}],
             "containers":[{"name":"web","image":"nginx","ports":[{"containerPort":80,"protocol":"TCP"}],
               "resources":{"limits":{"cpu":"500m"}},
               "livenessProbe":{"httpGet":{"path":"/","port":"http"}}}]}}},
         "status":{}}"""), d.object());
  }

  @Test
  void aBodyWithoutTheEnvelopeIsABadRequest() {
    ProtobufBodies.Decoded d = bodies.decode("{\"kind\":\"ConfigMap\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, d.error().code());
  }

  @Test
  void aKindWithoutDescriptorIsUnsupportedMediaType() {
    ProtobufBodies.Decoded d = bodies.decode(envelope("coordination.k8s.io/v1", "Lease", V1.ConfigMap.getDefaultInstance()));
    assertEquals(415, d.error().code());
  }

  @Test
  void anExplicitZeroOfAPointerFieldIsKeptWhileOtherZerosStayOmitted() {
    // What kubectl create deployment --replicas=0 sends: replicas 0 (a *int32, set), and the
    // non-pointer minReadySeconds and paused written as zeros because Go always writes them.
    V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
        .setMetadata(meta("idle"))
        .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(0).setMinReadySeconds(0).setPaused(false)
            .setTemplate(V1.PodTemplateSpec.newBuilder().setMetadata(meta(""))
                .setSpec(V1.PodSpec.newBuilder().addContainers(V1.Container.newBuilder().setName("c")
                    .setImage("nginx")))))
        .build();
    ProtobufBodies.Decoded d = bodies.decode(envelope("apps/v1", "Deployment", deployment));
    assertNull(d.error());
    assertEquals(Json.parseTrusted("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"idle"},"spec":{"replicas":0,
         "template":{"metadata":{},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"""), d.object());
  }

  @Test
  void anUnsetPointerFieldStaysAbsent() {
    V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
        .setMetadata(meta("default"))
        .setSpec(V1Apps.DeploymentSpec.newBuilder().setMinReadySeconds(0))
        .build();
    ProtobufBodies.Decoded d = bodies.decode(envelope("apps/v1", "Deployment", deployment));
    assertEquals(Json.parseTrusted("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"default"},"spec":{}}"""), d.object());
  }
}
