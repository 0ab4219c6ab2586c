package io.pekkube.actors.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.ResourceType;
import java.util.ArrayList;
import java.util.List;

/**
 * Which garbage-collection finalizers a DELETE leaves on an object, as the registry's
 * {@code deletionFinalizersForGarbageCollection} decides: Orphan adds {@code orphan}, Foreground
 * adds {@code foregroundDeletion}, Background adds neither (the object goes at once and the garbage
 * collector deletes its dependents afterwards). Without a policy the finalizers already on the
 * object decide, then the type's default ({@link #defaultPolicy}).
 */
public final class DeletionFinalizers {
  public static final String ORPHAN = "orphan";
  public static final String FOREGROUND = "foregroundDeletion";

  public static final String POLICY_ORPHAN = "Orphan";
  public static final String POLICY_FOREGROUND = "Foreground";
  public static final String POLICY_BACKGROUND = "Background";

  private DeletionFinalizers() {}

  /**
   * {@code DefaultGarbageCollectionPolicy}: Orphan where Kubernetes keeps it for backwards
   * compatibility (ReplicationController in v1, Job in batch/v1, the workload kinds of the old
   * extensions/v1beta1 and apps/v1beta1/v1beta2 groups); Background for everything else.
   */
  public static String defaultPolicy(ResourceType type) {
    String gv = type.apiVersion();
    boolean legacyOrphan = ("v1".equals(gv) && "ReplicationController".equals(type.kind()))
        || ("batch/v1".equals(gv) && "Job".equals(type.kind()))
        || gv.equals("extensions/v1beta1") || gv.equals("apps/v1beta1") || gv.equals("apps/v1beta2");
    return legacyOrphan ? POLICY_ORPHAN : POLICY_BACKGROUND;
  }

  /** The object's finalizers after a DELETE with {@code policy} ("" when the request named none). */
  public static List<String> afterDelete(ResourceType type, JsonNode object, String policy) {
    List<String> current = finalizers(object);
    String effective = policy.isEmpty() ? policyFromFinalizers(current, defaultPolicy(type)) : policy;
    List<String> next = new ArrayList<>();
    for (String f : current) {
      if (!f.equals(ORPHAN) && !f.equals(FOREGROUND)) {
        next.add(f);
      }
    }
    if (effective.equals(POLICY_ORPHAN)) {
      next.add(ORPHAN);
    } else if (effective.equals(POLICY_FOREGROUND)) {
      next.add(FOREGROUND);
    }
    return next;
  }

  /** A finalizer already set overrides the type's default. */
  private static String policyFromFinalizers(List<String> finalizers, String fallback) {
    for (String f : finalizers) {
      if (f.equals(ORPHAN)) {
        return POLICY_ORPHAN;
      }
      if (f.equals(FOREGROUND)) {
        return POLICY_FOREGROUND;
      }
    }
    return fallback;
  }

  public static List<String> finalizers(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.path("metadata").path("finalizers").forEach(f -> out.add(f.asText()));
    return out;
  }
}
