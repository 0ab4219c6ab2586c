package io.pekkube.http.routes.scale;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;

/**
 * Applies a PATCH body (merge, strategic merge, JSON patch) to the current Scale. The patch package
 * provides the real one; until it is wired in, PATCH of a scale answers 415 like the main resource.
 */
@FunctionalInterface
public interface ScalePatch {

  /** The patched Scale, or the error to answer. */
  record Patched(ObjectNode scale, ApiError error) {}

  Patched apply(ObjectNode currentScale, String mediaType, byte[] body);

}
