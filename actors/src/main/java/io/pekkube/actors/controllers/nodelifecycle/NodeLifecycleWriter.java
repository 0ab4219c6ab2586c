package io.pekkube.actors.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ResourceEntity;
import java.util.concurrent.CompletionStage;

/**
 * Carries out the controller's writes through the gateway, each on the object just read (its
 * resourceVersion is the precondition, so a kubelet's concurrent status update wins and the controller
 * decides again): node conditions through the status subresource, taints through the main resource,
 * evictions as a DELETE naming the pod's uid.
 */
final class NodeLifecycleWriter {
  static final String USER = "system:serviceaccount:kube-system:node-controller";

  private final ApiClient client;

  NodeLifecycleWriter(ApiClient client) {
    this.client = client;
  }

  /** A write the API refused; the controller looks again at its next pass. */
  static final class WriteFailed extends RuntimeException {
    WriteFailed(String message) {
      super(message, null, false, false);
    }
  }

  CompletionStage<Void> apply(ObjectNode liveNode, NodeAction action) {
    ObjectNode node = liveNode.deepCopy();
    if (action instanceof NodeAction.SetConditions c) {
      node.with("status").set("conditions", c.conditions());
      return client.update(BuiltinTypes.NODE, "", node, true, false, USER).thenApply(r -> check("node status", r));
    }
    NodeAction.SetTaints t = (NodeAction.SetTaints) action;
    if (t.taints().isEmpty()) {
      node.with("spec").remove("taints");
    } else {
      node.with("spec").set("taints", Taint.toJson(t.taints()));
    }
    return client.update(BuiltinTypes.NODE, "", node, false, false, USER).thenApply(r -> check("node taints", r));
  }

  CompletionStage<Void> evict(BoundPod livePod) {
    return client.delete(BuiltinTypes.POD, livePod.namespace(), livePod.name(), livePod.uid(), "", false, USER)
        .thenApply(r -> check("pod deletion", r));
  }

  private static Void check(String what, ResourceEntity.WriteResult result) {
    if (result instanceof ResourceEntity.Rejected rej && rej.error().code() != 404) {
      throw new WriteFailed(what + ": " + rej.error().code() + " " + rej.error().message());
    }
    return null;
  }
}
