package io.pekkube.http.routes;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.schema.SchemaCatalog;
import io.pekkube.http.fieldvalidation.DuplicateFields;
import io.pekkube.http.fieldvalidation.FieldValidation;
import io.pekkube.http.fieldvalidation.PatchFieldValidation;
import io.pekkube.http.fieldvalidation.WarningHeaders;
import io.pekkube.http.patch.PatchType;
import io.pekkube.http.protobuf.ProtobufBodies;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * The object of a POST or PUT body in any served encoding (JSON, YAML, Kubernetes protobuf), with
 * {@code fieldValidation} applied: unknown fields dropped, and a rejection or warnings to answer.
 */
public final class ObjectBodies {
  private static final JsonFactory YAML = new YAMLFactory();

  private final ProtobufBodies protobuf;
  private final FieldValidation validation;

  public ObjectBodies(SchemaCatalog catalog) {
    this.protobuf = new ProtobufBodies(catalog);
    this.validation = new FieldValidation(catalog);
  }

  /** The object to write and the warnings for the answer, or the error to answer instead. */
  public record Read(ObjectNode object, List<String> warnings, ApiError error) {
    /** {@code response} with one {@code Warning: 299} header per warning, as Kubernetes sends them. */
    public HttpResponse withWarnings(HttpResponse response) {
      return WarningHeaders.add(response, warnings);
    }
  }

  /** The object of a body in any served encoding, without {@code fieldValidation} (the create-only reviews). */
  public Bodies.Decoded decode(String mediaType, byte[] body) {
    if (mediaType.equals(ProtobufBodies.MEDIA_TYPE)) {
      ProtobufBodies.Decoded d = protobuf.decode(body);
      return new Bodies.Decoded(d.object(), d.error());
    }
    return Bodies.decode(mediaType, body);
  }

  public Read read(ResourceType type, String mediaType, byte[] body, Optional<String> fieldValidation) {
    FieldValidation.Mode mode;
    try {
      mode = FieldValidation.mode(fieldValidation);
    } catch (IllegalArgumentException e) {
      return new Read(null, List.of(), ApiError.badRequest(e.getMessage()));
    }
    ObjectNode object;
    List<String> duplicates;
    if (mediaType.equals(ProtobufBodies.MEDIA_TYPE)) {
      ProtobufBodies.Decoded d = protobuf.decode(body);
      if (d.error() != null) {
        return new Read(null, List.of(), d.error());
      }
      object = d.object();
      duplicates = List.of();
    } else {
      Bodies.Decoded d = Bodies.decode(mediaType, body);
      if (d.error() != null) {
        return new Read(null, List.of(), d.error());
      }
      object = d.object();
      duplicates = DuplicateFields.find(mediaType.contains("yaml") ? YAML : Json.MAPPER.getFactory(), body);
    }
    FieldValidation.Outcome outcome = validation.apply(mode, type, object, duplicates);
    return outcome.rejection() != null
        ? new Read(null, List.of(), outcome.rejection())
        : new Read(object, outcome.warnings(), null);
  }

  /**
   * The {@code fieldValidation} of a PATCH with this body; throws PatchFailure (400) for an unknown
   * mode or a Strict apply configuration with duplicate keys.
   */
  public PatchFieldValidation forPatch(ResourceType type, PatchType patchType, byte[] body,
      Optional<String> fieldValidation) {
    FieldValidation.Mode mode;
    try {
      mode = FieldValidation.mode(fieldValidation);
    } catch (IllegalArgumentException e) {
      throw new io.pekkube.http.patch.PatchFailure(ApiError.badRequest(e.getMessage()));
    }
    List<String> duplicates = DuplicateFields.find(patchType == PatchType.APPLY ? YAML : Json.MAPPER.getFactory(), body);
    return PatchFieldValidation.of(validation, mode, type, patchType, duplicates);
  }
}
