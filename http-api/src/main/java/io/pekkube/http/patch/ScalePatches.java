package io.pekkube.http.patch;

import io.pekkube.actors.api.fields.MergeSchema;
import io.pekkube.actors.api.schema.SchemaCatalog;
import io.pekkube.http.routes.scale.ScalePatch;
import java.util.Optional;

/**
 * PATCH of a {@code Scale} subresource ({@code kubectl scale} sends a merge patch of
 * {@code spec.replicas}): JSON, merge and strategic merge patches of the current Scale. Server-side
 * apply of a Scale is not served (415), as the main path's apply needs the parent's field owners.
 */
public final class ScalePatches {
  private ScalePatches() {}

  public static final ScalePatch PATCHES = (current, mediaType, body) -> {
    Optional<PatchType> type = PatchType.of(mediaType);
    if (type.isEmpty() || type.get() == PatchType.APPLY) {
      return new ScalePatch.Patched(null, PatchType.unsupported(mediaType));
    }
    try {
      return new ScalePatch.Patched(PatchDocument.parse(type.get(), body).applyTo(MergeSchema.forKind(SchemaCatalog.builtin(), "autoscaling/v1", "Scale"), current), null);
    } catch (PatchFailure f) {
      return new ScalePatch.Patched(null, f.error());
    }
  };
}
