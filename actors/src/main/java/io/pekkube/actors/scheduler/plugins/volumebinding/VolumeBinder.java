package io.pekkube.actors.scheduler.plugins.volumebinding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.actors.scheduler.framework.ClaimInfo;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Status;
import io.pekkube.actors.scheduler.plugins.defaultbinder.DefaultBinder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Volume binding's writes through the gateway, as the scheduler: Kubernetes' {@code BindPodVolumes}. A volume
 * chosen for a claim gets the claim in {@code spec.claimRef} (with the volume's read resourceVersion, so a
 * volume taken meanwhile fails the write and the pod is tried again). Pekkube has no volume controller, so
 * the binder then does that controller's part of the binding too: the volume's phase Bound, the claim's
 * {@code volumeName}, {@code pv.kubernetes.io/bind-completed} and phase Bound. A claim to provision gets
 * {@code volume.kubernetes.io/selected-node}; then, as Kubernetes, the pod waits (checked every second, up
 * to the bind timeout) until a provisioner has made its volume and the claim is fully bound; a provisioner
 * that gives up removes the annotation, which fails the wait at once. The builders are pure.
 */
public final class VolumeBinder {
  private static final Duration POLL = Duration.ofSeconds(1);
  public static final String TIMED_OUT = "binding volumes: timed out waiting for the condition";

  private final ApiClient client;
  private final Duration bindTimeout;

  public VolumeBinder(ApiClient client, Duration bindTimeout) {
    this.client = client;
    this.bindTimeout = bindTimeout;
  }

  CompletionStage<Status> bind(PodInfo pod, String nodeName, VolumeBinding.PodVolumes volumes) {
    CompletionStage<Status> chain = done(Status.SUCCESS);
    for (VolumeBinding.Binding b : volumes.staticBindings()) {
      chain = chain.thenCompose(s -> s.isSuccess() ? bindStatic(b) : done(s));
    }
    for (ClaimInfo claim : volumes.provisions()) {
      chain = chain.thenCompose(s -> s.isSuccess()
          ? write(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, claim.object(), false, c -> done(Status.SUCCESS)) : done(s));
    }
    if (volumes.provisions().isEmpty()) {
      return chain;
    }
    long deadline = System.nanoTime() + bindTimeout.toNanos();
    return chain.thenCompose(s -> s.isSuccess() ? awaitProvisioned(pod, nodeName, volumes.provisions(), deadline)
        : done(s));
  }

  /** The volume to the claim, then the claim to the volume, each spec then status, as the volume controller. */
  private CompletionStage<Status> bindStatic(VolumeBinding.Binding b) {
    return write(BuiltinTypes.PERSISTENT_VOLUME, b.volume().object(), false, pv ->
        write(BuiltinTypes.PERSISTENT_VOLUME, volumeWithPhase(pv, "Bound"), true, boundPv ->
            write(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, claimBoundTo(b.claim().object(), pv), false, claim ->
                write(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, claimStatusBound(claim, pv), true,
                    boundClaim -> done(Status.SUCCESS)))));
  }

  /** Kubernetes' {@code checkBindings} for provisioned claims, until all are fully bound or one fails. */
  private CompletionStage<Status> awaitProvisioned(PodInfo pod, String nodeName, List<ClaimInfo> claims,
      long deadline) {
    return client.get(BuiltinTypes.POD, pod.namespace(), pod.name()).thenCompose(got -> {
      if (got.object() == null || !pod.uid().equals(Json.meta(Json.parseTrusted(got.object()), "uid"))) {
        return done(Status.error(VolumeBinding.NAME, "pod does not exist any more"));
      }
      return checkProvisioned(nodeName, claims, 0);
    }).thenCompose(s -> {
      if (s != null) {
        return done(s);
      }
      if (System.nanoTime() - deadline > 0) {
        return done(Status.error(VolumeBinding.NAME, TIMED_OUT));
      }
      Executor later = CompletableFuture.delayedExecutor(POLL.toMillis(), TimeUnit.MILLISECONDS);
      return CompletableFuture.supplyAsync(() -> null, later)
          .thenCompose(x -> awaitProvisioned(pod, nodeName, claims, deadline));
    });
  }

  /** Success when claim {@code i} and the ones after it are bound, null when one is not yet, else the failure. */
  private CompletionStage<Status> checkProvisioned(String nodeName, List<ClaimInfo> claims, int i) {
    if (i == claims.size()) {
      return done(Status.SUCCESS);
    }
    ClaimInfo wanted = claims.get(i);
    return client.get(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, wanted.namespace(), wanted.name()).thenCompose(got -> {
      if (got.object() == null) {
        return done(Status.error(VolumeBinding.NAME, "failed to check provisioning pvc: persistentvolumeclaim \""
            + wanted.name() + "\" not found"));
      }
      ClaimInfo now = ClaimInfo.of(Json.parseTrusted(got.object()));
      if (!nodeName.equals(now.selectedNode())) {
        return done(Status.error(VolumeBinding.NAME, "provisioning failed for PVC \"" + now.name() + "\""));
      }
      return now.fullyBound() ? checkProvisioned(nodeName, claims, i + 1) : done(null);
    });
  }

  /** An update; {@code next} gets the object as written, a refused write is the outcome. */
  private CompletionStage<Status> write(ResourceType type, ObjectNode object, boolean statusOnly,
      Function<ObjectNode, CompletionStage<Status>> next) {
    return client.update(type, Json.meta(object, "namespace"), object, statusOnly, false, DefaultBinder.USER)
        .thenCompose(r -> {
          if (r instanceof ResourceEntity.Written w) {
            return next.apply(Json.parseTrusted(w.object()));
          }
          if (r instanceof ResourceEntity.NotChanged n) {
            return next.apply(Json.parseTrusted(n.object()));
          }
          String why = r instanceof ResourceEntity.Rejected rej ? rej.error().message() : "the write was not done";
          return done(Status.error(VolumeBinding.NAME, "binding volumes: " + why));
        });
  }

  private static CompletionStage<Status> done(Status status) {
    return CompletableFuture.completedFuture(status);
  }

  /**
   * Kubernetes' {@code GetBindVolumeToClaim}: the volume with {@code spec.claimRef} naming the claim, and
   * {@code pv.kubernetes.io/bound-by-controller} unless a user had pre-bound it to this claim.
   */
  public static ObjectNode volumeBoundTo(ObjectNode volume, ClaimInfo claim) {
    ObjectNode pv = volume.deepCopy();
    JsonNode ref = volume.path("spec").path("claimRef");
    boolean preBound = ref.isObject() && claim.name().equals(ref.path("name").asText())
        && claim.namespace().equals(ref.path("namespace").asText())
        && (ref.path("uid").asText("").isEmpty() || claim.uid().equals(ref.path("uid").asText()));
    if (!preBound || !claim.uid().equals(ref.path("uid").asText(""))) {
      ((ObjectNode) pv.with("spec")).putObject("claimRef").put("kind", "PersistentVolumeClaim")
          .put("namespace", claim.namespace()).put("name", claim.name()).put("uid", claim.uid())
          .put("apiVersion", "v1").put("resourceVersion", claim.resourceVersion());
    }
    ObjectNode annotations = (ObjectNode) pv.with("metadata").with("annotations");
    if (!preBound && !annotations.has(ClaimInfo.ANN_BOUND_BY_CONTROLLER)) {
      annotations.put(ClaimInfo.ANN_BOUND_BY_CONTROLLER, "yes");
    }
    return pv;
  }

  /** The claim with {@code volume.kubernetes.io/selected-node}: the provisioner's signal to make its volume there. */
  public static ObjectNode claimWithSelectedNode(ObjectNode claim, String nodeName) {
    ObjectNode pvc = claim.deepCopy();
    ((ObjectNode) pvc.with("metadata").with("annotations")).put(ClaimInfo.ANN_SELECTED_NODE, nodeName);
    return pvc;
  }

  /** The volume controller's {@code bindClaimToVolume}: the claim names the volume and its binding is complete. */
  public static ObjectNode claimBoundTo(ObjectNode claim, ObjectNode volume) {
    ObjectNode pvc = claim.deepCopy();
    ObjectNode spec = (ObjectNode) pvc.with("spec");
    ObjectNode annotations = (ObjectNode) pvc.with("metadata").with("annotations");
    if (spec.path("volumeName").asText("").isEmpty()) {
      spec.put("volumeName", Json.meta(volume, "name"));
      annotations.put(ClaimInfo.ANN_BOUND_BY_CONTROLLER, "yes");
    }
    annotations.put(ClaimInfo.ANN_BIND_COMPLETED, "yes");
    return pvc;
  }

  /** The claim's status once bound: phase Bound, and the volume's access modes and capacity. */
  public static ObjectNode claimStatusBound(ObjectNode claim, ObjectNode volume) {
    ObjectNode pvc = claim.deepCopy();
    ObjectNode status = (ObjectNode) pvc.with("status");
    status.put("phase", "Bound");
    JsonNode spec = volume.path("spec");
    if (spec.has("accessModes")) {
      status.set("accessModes", spec.get("accessModes").deepCopy());
    }
    if (spec.has("capacity")) {
      status.set("capacity", spec.get("capacity").deepCopy());
    }
    return pvc;
  }

  public static ObjectNode volumeWithPhase(ObjectNode volume, String phase) {
    ObjectNode pv = volume.deepCopy();
    ((ObjectNode) pv.with("status")).put("phase", phase);
    return pv;
  }
}
