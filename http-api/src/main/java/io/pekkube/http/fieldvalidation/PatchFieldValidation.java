package io.pekkube.http.fieldvalidation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.http.patch.PatchFailure;
import io.pekkube.http.patch.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code fieldValidation} for PATCH, as Kubernetes' patch handler does it. JSON, merge and strategic
 * patches: duplicate keys of the patch body and unknown fields of the patched object are reported
 * (Warn) or refused with 422 Invalid on field {@code patch} (Strict); unknown fields are dropped in
 * every mode. Apply patches: only duplicate keys of the applied configuration are checked (Strict:
 * 400 {@code error strict decoding YAML}). The check runs on every attempt of a guaranteed update, so
 * the warnings are those of the last attempt.
 */
public final class PatchFieldValidation implements UnaryOperator<ObjectNode> {
  private final FieldValidation validation;
  private final FieldValidation.Mode mode;
  private final ResourceType type;
  private final List<String> patchDuplicates;
  private volatile List<String> warnings = List.of();

  private PatchFieldValidation(FieldValidation validation, FieldValidation.Mode mode, ResourceType type,
      List<String> patchDuplicates) {
    this.validation = validation;
    this.mode = mode;
    this.type = type;
    this.patchDuplicates = patchDuplicates;
  }

  /**
   * The validation of one PATCH request, or a PatchFailure (400) for a bad mode or, in Strict mode,
   * duplicate keys in an apply configuration.
   */
  public static PatchFieldValidation of(FieldValidation validation, FieldValidation.Mode mode, ResourceType type,
      PatchType patchType, List<String> duplicatePaths) {
    List<String> duplicates = new ArrayList<>();
    for (String d : duplicatePaths) {
      duplicates.add((patchType == PatchType.JSON ? "json patch " : "") + "duplicate field \"" + d + "\"");
    }
    if (mode == FieldValidation.Mode.IGNORE) {
      duplicates.clear();
    }
    if (patchType == PatchType.APPLY && !duplicates.isEmpty() && mode == FieldValidation.Mode.STRICT) {
      throw new PatchFailure(ApiError.badRequest("error strict decoding YAML: " + String.join(", ", duplicates)));
    }
    PatchFieldValidation v = new PatchFieldValidation(validation, mode, type,
        patchType == PatchType.APPLY ? List.of() : duplicates);
    if (patchType == PatchType.APPLY) {
      v.warnings = List.copyOf(duplicates);
    }
    return v;
  }

  /** Checks the patched object (unknown fields are removed from it); throws PatchFailure in Strict mode. */
  @Override
  public ObjectNode apply(ObjectNode patched) {
    List<String> problems = new ArrayList<>(patchDuplicates);
    problems.addAll(validation.check(type, patched, List.of()));
    if (problems.isEmpty() || mode == FieldValidation.Mode.IGNORE) {
      warnings = List.of();
      return patched;
    }
    if (mode == FieldValidation.Mode.WARN) {
      warnings = List.copyOf(problems);
      return patched;
    }
    String why = "strict decoding error: " + String.join(", ", problems);
    String value = Json.write(patched).replace("\\", "\\\\").replace("\"", "\\\"");
    String causeMessage = "Invalid value: \"" + value + "\": " + why;
    throw new PatchFailure(new ApiError(422, "Invalid", " \"\" is invalid: patch: " + causeMessage,
        new ApiError.Details("", "", "", List.of(new ApiError.Cause("FieldValueInvalid", causeMessage, "patch"))),
        null));
  }

  /** The problems to report in {@code Warning} headers (Warn mode). */
  public List<String> warnings() {
    return warnings;
  }
}
