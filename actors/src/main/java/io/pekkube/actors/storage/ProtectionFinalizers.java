package io.pekkube.actors.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import java.util.Iterator;

/**
 * The finalizers of storage-object-in-use protection (Kubernetes' {@code volumeutil.PVCProtectionFinalizer} and
 * {@code PVProtectionFinalizer}) and {@code protectionutil}'s two questions about an object: is it a deletion
 * candidate (being deleted, still held by the finalizer), and does it lack the finalizer it should carry (not
 * being deleted, without it). Admission sets them; the protection controllers remove them once the object is
 * no longer in use.
 */
public final class ProtectionFinalizers {
  public static final String PVC = "kubernetes.io/pvc-protection";
  public static final String PV = "kubernetes.io/pv-protection";

  private ProtectionFinalizers() {}

  public static boolean has(JsonNode object, String finalizer) {
    for (JsonNode f : object.path("metadata").path("finalizers")) {
      if (finalizer.equals(f.asText())) {
        return true;
      }
    }
    return false;
  }

  /** {@code IsDeletionCandidate}: being deleted and held by {@code finalizer}. */
  public static boolean isDeletionCandidate(JsonNode object, String finalizer) {
    return deleting(object) && has(object, finalizer);
  }

  /** {@code NeedToAddFinalizer}: not being deleted and without {@code finalizer}. */
  public static boolean needToAdd(JsonNode object, String finalizer) {
    return !deleting(object) && !has(object, finalizer);
  }

  /** Appends {@code finalizer} to the object in place unless it is there (admission's edit). */
  public static void add(ObjectNode object, String finalizer) {
    if (!has(object, finalizer)) {
      ObjectNode meta = Json.metadata(object);
      (meta.get("finalizers") instanceof ArrayNode list ? list : meta.putArray("finalizers")).add(finalizer);
    }
  }

  /** A copy with {@code finalizer} appended. */
  public static ObjectNode with(ObjectNode object, String finalizer) {
    ObjectNode copy = object.deepCopy();
    add(copy, finalizer);
    return copy;
  }

  /** A copy without {@code finalizer}; an emptied list is dropped, as Go omits it. */
  public static ObjectNode without(ObjectNode object, String finalizer) {
    ObjectNode copy = object.deepCopy();
    ObjectNode meta = Json.metadata(copy);
    if (meta.get("finalizers") instanceof ArrayNode list) {
      for (Iterator<JsonNode> it = list.iterator(); it.hasNext(); ) {
        if (finalizer.equals(it.next().asText())) {
          it.remove();
        }
      }
      if (list.isEmpty()) {
        meta.remove("finalizers");
      }
    }
    return copy;
  }

  private static boolean deleting(JsonNode object) {
    return object.path("metadata").hasNonNull("deletionTimestamp");
  }
}
