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

/**
 * Volume binding's writes through the gateway, as the scheduler: Kubernetes' {@code BindPodVolumes}. A volume
 * chosen for a claim gets the claim in {@code spec.claimRef} (with the volume's read resourceVersion, so a
 * volume taken meanwhile fails the write and the pod is tried again); a claim to provision gets
 * {@code volume.kubernetes.io/selected-node}. The volume controller does the rest (the volume's phase, the
 * claim's {@code volumeName}, {@code pv.kubernetes.io/bind-completed}, phase Bound; or the provisioning), and,
 * as Kubernetes' {@code checkBindings}, the pod waits (checked every second, up to the bind timeout) until
 * every claim is fully bound. A volume whose claim reference was dropped, or a provisioner that gave up (it
 * removes the annotation), fails the wait at once.
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
      chain = chain.thenCompose(s -> s.isSuccess()
          ? write(BuiltinTypes.PERSISTENT_VOLUME, b.volume().object()) : done(s));
    }
    for (ClaimInfo claim : volumes.provisions()) {
      chain = chain.thenCompose(s -> s.isSuccess() ? write(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, claim.object())
          : done(s));
    }
    long deadline = System.nanoTime() + bindTimeout.toNanos();
    return chain.thenCompose(s -> s.isSuccess() ? awaitBound(pod, nodeName, volumes, deadline) : done(s));
  }

  /** Kubernetes' {@code checkBindings}, every second, until all claims are fully bound or one fails. */
  private CompletionStage<Status> awaitBound(PodInfo pod, String nodeName, VolumeBinding.PodVolumes volumes,
      long deadline) {
    return client.get(BuiltinTypes.POD, pod.namespace(), pod.name()).thenCompose(got -> {
      if (got.object() == null || !pod.uid().equals(Json.meta(Json.parseTrusted(got.object()), "uid"))) {
        return done(Status.error(VolumeBinding.NAME, "pod does not exist any more"));
      }
      return checkBindings(volumes.staticBindings(), 0)
          .thenCompose(s -> s != null && s.isSuccess() ? checkProvisioned(nodeName, volumes.provisions(), 0) : done(s));
    }).thenCompose(s -> {
      if (s != null) {
        return done(s);
      }
      if (System.nanoTime() - deadline > 0) {
        return done(Status.error(VolumeBinding.NAME, TIMED_OUT));
      }
      Executor later = CompletableFuture.delayedExecutor(POLL.toMillis(), TimeUnit.MILLISECONDS);
      return CompletableFuture.supplyAsync(() -> null, later)
          .thenCompose(x -> awaitBound(pod, nodeName, volumes, deadline));
    });
  }

  /** Success when binding {@code i} and the ones after it are complete, null when one is not yet, else the failure. */
  private CompletionStage<Status> checkBindings(List<VolumeBinding.Binding> bindings, int i) {
    if (i == bindings.size()) {
      return done(Status.SUCCESS);
    }
    VolumeBinding.Binding b = bindings.get(i);
    return client.get(BuiltinTypes.PERSISTENT_VOLUME, "", b.volume().name()).thenCompose(pv -> {
      if (pv.object() == null) {
        return done(Status.error(VolumeBinding.NAME, "failed to check binding: persistentvolume \""
            + b.volume().name() + "\" not found"));
      }
      JsonNode ref = Json.parseTrusted(pv.object()).path("spec").path("claimRef");
      if (!ref.isObject() || ref.path("uid").asText("").isEmpty()) {
        return done(Status.error(VolumeBinding.NAME, "ClaimRef got reset for pv \"" + b.volume().name() + "\""));
      }
      return client.get(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, b.claim().namespace(), b.claim().name())
          .thenCompose(pvc -> {
            if (pvc.object() == null) {
              return done(Status.error(VolumeBinding.NAME, "failed to check binding: persistentvolumeclaim \""
                  + b.claim().name() + "\" not found"));
            }
            return ClaimInfo.of(Json.parseTrusted(pvc.object())).fullyBound() ? checkBindings(bindings, i + 1)
                : done(null);
          });
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

  /** An update of the object as Reserve assumed it; a refused write is the outcome. */
  private CompletionStage<Status> write(ResourceType type, ObjectNode object) {
    return client.update(type, Json.meta(object, "namespace"), object, false, false, DefaultBinder.USER)
        .thenApply(r -> {
          if (r instanceof ResourceEntity.Written || r instanceof ResourceEntity.NotChanged) {
            return Status.SUCCESS;
          }
          String why = r instanceof ResourceEntity.Rejected rej ? rej.error().message() : "the write was not done";
          return Status.error(VolumeBinding.NAME, "binding volumes: " + why);
        });
  }

  private static CompletionStage<Status> done(Status status) {
    return CompletableFuture.completedFuture(status);
  }

  /** The claim with {@code volume.kubernetes.io/selected-node}: the provisioner's signal to make its volume there. */
  public static ObjectNode claimWithSelectedNode(ObjectNode claim, String nodeName) {
    ObjectNode pvc = claim.deepCopy();
    ((ObjectNode) pvc.with("metadata").with("annotations")).put(ClaimInfo.ANN_SELECTED_NODE, nodeName);
    return pvc;
  }
}
