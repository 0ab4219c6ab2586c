package io.pekkube.http.protobuf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kubernetes.client.proto.Runtime;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.schema.ProtoTypes;
import io.pekkube.actors.api.schema.SchemaCatalog;
import java.util.Arrays;
import java.util.Optional;

/**
 * Request bodies in {@code application/vnd.kubernetes.protobuf}: the 4-byte magic {@code "k8s\0"},
 * then a {@code runtime.Unknown} whose typeMeta names the kind and whose raw bytes are the object's
 * message (kubectl's {@code create configmap|secret|namespace|deployment|service|job|role...}).
 */
public final class ProtobufBodies {
  public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};

  private final ProtobufObjects objects;

  public ProtobufBodies(SchemaCatalog catalog) {
    this.objects = new ProtobufObjects(catalog);
  }

  /** A decoded object, or the error to answer. */
  public record Decoded(ObjectNode object, ApiError error) {}

  public Decoded decode(byte[] body) {
    if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      return failed("the protobuf body does not start with the Kubernetes envelope prefix");
    }
    Runtime.Unknown unknown;
    try {
      unknown = Runtime.Unknown.parseFrom(Arrays.copyOfRange(body, MAGIC.length, body.length));
    } catch (InvalidProtocolBufferException e) {
      return failed("the protobuf envelope could not be decoded: " + e.getMessage());
    }
    String apiVersion = unknown.getTypeMeta().getApiVersion();
    String kind = unknown.getTypeMeta().getKind();
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    Optional<Descriptor> type = ProtoTypes.get().kind(group, version, kind);
    if (type.isEmpty()) {
      return new Decoded(null, ApiError.of(415, "UnsupportedMediaType", "the body of the request was in an "
          + "unknown format - protobuf is not served for " + kind + " in " + apiVersion
          + "; accepted media types include: application/json, application/yaml"));
    }
    try {
      ObjectNode object = objects.toJson(DynamicMessage.parseFrom(type.get(), unknown.getRaw()));
      ObjectNode out = io.pekkube.actors.api.Json.object();
      out.put("apiVersion", apiVersion);
      out.put("kind", kind);
      out.setAll(object);
      return new Decoded(out, null);
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      return failed("the protobuf body of " + kind + " could not be decoded: " + e.getMessage());
    }
  }

  private static Decoded failed(String message) {
    return new Decoded(null, ApiError.badRequest(message));
  }
}
