package io.pekkube.actors.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.validation.FieldError;
import io.pekkube.actors.api.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;

/** The checks of a written object that need no stored state: metadata formats and sizes. */
final class WriteValidation {

  private WriteValidation() {}

  static List<ApiError.Cause> validate(ResourceType type, ObjectNode object, boolean create) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode metadata = object.path("metadata");
    if (!metadata.isObject()) {
      errors.add(FieldError.required("metadata", "metadata is required"));
      return causes(errors);
    }
    errors.addAll(ObjectMetaValidation.validateMetadataTypes(metadata));
    if (!errors.isEmpty()) {
      return causes(errors);
    }
    errors.addAll(ObjectMetaValidation.validateName(metadata.path("name").asText(""), type.nameRule(), "metadata.name"));
    if (create && metadata.hasNonNull("generateName")) {
      errors.addAll(ObjectMetaValidation.validateGenerateName(metadata.path("generateName").asText(), type.nameRule(), "metadata.generateName"));
    }
    errors.addAll(ObjectMetaValidation.validateLabels(metadata.path("labels"), "metadata.labels"));
    errors.addAll(ObjectMetaValidation.validateAnnotations(metadata.path("annotations"), "metadata.annotations"));
    errors.addAll(ObjectMetaValidation.validateFinalizers(metadata.path("finalizers"), "metadata.finalizers"));
    return causes(errors);
  }

  private static List<ApiError.Cause> causes(List<FieldError> errors) {
    return errors.stream().map(e -> new ApiError.Cause(e.reason().causeType(), e.errorBody(), e.field())).toList();
  }
}
