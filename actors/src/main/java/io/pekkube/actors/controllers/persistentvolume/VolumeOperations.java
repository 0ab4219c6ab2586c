package io.pekkube.actors.controllers.persistentvolume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.events.EventRecorder;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.gateway.FieldManager;
import io.pekkube.actors.resources.ObjectWrites;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.actors.scheduler.framework.ClaimInfo;
import io.pekkube.actors.storage.BindingEdits;
import io.pekkube.actors.storage.ProtectionFinalizers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The volume controller's writes through the gateway, as
 * {@code system:serviceaccount:kube-system:persistent-volume-binder}: the actions of one sync, one after
 * another, each update carrying the resourceVersion it was decided on (a conflict fails the sync, which runs
 * again), and the two operations that outlive a sync, provisioning a local-path volume and deleting a
 * released volume. Every object it writes is told to {@code stored}, so the controller's view is never
 * older than its own writes.
 */
final class VolumeOperations {
  static final String USER = "system:serviceaccount:kube-system:persistent-volume-binder";
  private static final FieldManager MANAGER = FieldManager.of("kube-controller-manager");
  private static final Duration HELPER_POLL = Duration.ofMillis(500);
  /** Kubernetes' createProvisionedPVRetryCount; the interval is shorter here (1 s, not 10 s). */
  private static final int CREATE_ATTEMPTS = 5;
  private static final Duration CREATE_INTERVAL = Duration.ofSeconds(1);

  /** A write the API refused. */
  static final class WriteRefused extends RuntimeException {
    final ApiError error;

    WriteRefused(String what, ApiError error) {
      super(what + ": " + error.message());
      this.error = error;
    }
  }

  private final ApiClient client;
  private final EventRecorder events;
  private final PersistentVolumeSettings settings;
  private final Consumer<ObjectNode> stored;

  VolumeOperations(ApiClient client, EventRecorder events, PersistentVolumeSettings settings,
      Consumer<ObjectNode> stored) {
    this.client = client;
    this.events = events;
    this.settings = settings;
    this.stored = stored;
  }

  /**
   * Runs a sync's actions in order and stops at the first failure. {@link VolumeAction.SyncClaim},
   * {@link VolumeAction.SyncVolume}, {@link VolumeAction.Provision} and {@link VolumeAction.Delete} are the
   * controller's to schedule: they go to {@code handOff}.
   */
  CompletionStage<Void> run(List<VolumeAction> actions, Consumer<VolumeAction> handOff) {
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (VolumeAction action : actions) {
      chain = chain.thenCompose(v -> step(action, handOff));
    }
    return chain;
  }

  private CompletionStage<Void> step(VolumeAction action, Consumer<VolumeAction> handOff) {
    if (action instanceof VolumeAction.Bind b) {
      return bind(b.volume(), b.claim());
    }
    if (action instanceof VolumeAction.Unbind u) {
      return unbind(u.volume());
    }
    if (action instanceof VolumeAction.UpdateVolume u) {
      return update(BuiltinTypes.PERSISTENT_VOLUME, u.volume(), false).thenAccept(o -> { });
    }
    if (action instanceof VolumeAction.UpdateClaim u) {
      return update(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, u.claim(), false).thenAccept(o -> { });
    }
    if (action instanceof VolumeAction.UpdateClaimStatus u) {
      return update(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, u.claim(), true).thenAccept(o -> { });
    }
    if (action instanceof VolumeAction.UpdateVolumeStatus u) {
      return update(BuiltinTypes.PERSISTENT_VOLUME, u.volume(), true).thenAccept(o -> { });
    }
    if (action instanceof VolumeAction.Event e) {
      events.record(e.object(), e.type(), e.reason(), "", e.message());
    } else {
      handOff.accept(action); // SyncClaim, SyncVolume, Provision, Delete
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Kubernetes' {@code bind}: volume spec, volume status, claim spec, claim status, each only when it changes. */
  private CompletionStage<Void> bind(ObjectNode volume, ObjectNode claim) {
    ClaimInfo info = ClaimInfo.of(claim);
    return changed(BuiltinTypes.PERSISTENT_VOLUME, volume, BindingEdits.volumeBoundTo(volume, info), false)
        .thenCompose(pv -> "Bound".equals(pv.path("status").path("phase").asText())
            ? CompletableFuture.completedFuture(pv)
            : update(BuiltinTypes.PERSISTENT_VOLUME, BindingEdits.volumeWithPhase(pv, "Bound", ""), true))
        .thenCompose(pv -> changed(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, claim, BindingEdits.claimBoundTo(claim, pv),
                false)
            .thenCompose(pvc -> changed(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, pvc,
                BindingEdits.claimWithPhase(pvc, "Bound", pv), true)))
        .thenAccept(pvc -> { });
  }

  /** Kubernetes' {@code unbindVolume}: the binding undone in the spec, then the phase Available. */
  private CompletionStage<Void> unbind(ObjectNode volume) {
    return changed(BuiltinTypes.PERSISTENT_VOLUME, volume, BindingEdits.volumeUnbound(volume), false)
        .thenCompose(pv -> changed(BuiltinTypes.PERSISTENT_VOLUME, pv,
            BindingEdits.volumeWithPhase(pv, "Available", ""), true))
        .thenAccept(pv -> { });
  }

  // ---- provisioning ----

  /**
   * Kubernetes' {@code provisionClaimOperation} with the local-path provisioner: the claim annotated with its
   * provisioner; unless {@code pvc-<uid>} exists already, the directory made on the selected node by a helper
   * pod, then the volume saved, bound to the claim (the claim's next sync completes the binding). A failure
   * gives the claim a ProvisioningFailed event and, once the provisioner itself failed, drops the selected
   * node so the scheduler chooses again.
   */
  CompletionStage<Void> provision(ObjectNode claimAsSeen, ObjectNode storageClass) {
    String className = Json.meta(storageClass, "name");
    return changed(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, claimAsSeen,
        VolumeSync.withProvisioner(claimAsSeen, LocalPathProvisioner.NAME), false).thenCompose(claim -> {
          ClaimInfo info = ClaimInfo.of(claim);
          String volumeName = LocalPathProvisioner.volumeName(info);
          return client.get(BuiltinTypes.PERSISTENT_VOLUME, "", volumeName).thenCompose(existing -> {
            if (existing.object() != null) {
              return CompletableFuture.<Void>completedFuture(null);
            }
            String node = info.selectedNode();
            if (node == null) {
              return provisioningFailed(claim, className, LocalPathProvisioner.NO_NODE);
            }
            return client.get(BuiltinTypes.NODE, "", node).thenCompose(got -> {
              if (got.object() == null) {
                String why = "Failed to get target node: node \"" + node + "\" not found";
                record(claim, VolumeSync.WARNING, VolumeSync.PROVISIONING_FAILED, why);
                return CompletableFuture.<Void>failedFuture(new IllegalStateException(why));
              }
              String root = nodeDirectory(Json.parseTrusted(got.object()));
              if (root.isEmpty()) {
                return provisioningFailed(claim, className, "node \"" + node + "\" has no "
                    + LocalPathProvisioner.NODE_DIRECTORY + " annotation: it keeps no local-path volumes");
              }
              String path = LocalPathProvisioner.directory(root, volumeName, info);
              return runHelper(LocalPathProvisioner.Action.CREATE, volumeName, node, path)
                  .handle((v, failure) -> failure == null ? CompletableFuture.<Void>completedFuture(null)
                      : provisioningFailed(claim, className, cause(failure).getMessage()))
                  .thenCompose(x -> x)
                  .thenCompose(v -> save(claim, LocalPathProvisioner.volume(claim, storageClass, node, path), node,
                      path, CREATE_ATTEMPTS));
            });
          });
        });
  }

  /** {@code rescheduleProvisioning} and the event; fails the operation with {@code why}. */
  private CompletionStage<Void> provisioningFailed(ObjectNode claim, String className, String why) {
    CompletionStage<?> reschedule = CompletableFuture.completedFuture(null);
    if (claim.path("metadata").path("annotations").has(ClaimInfo.ANN_SELECTED_NODE)) {
      ObjectNode without = claim.deepCopy();
      ((ObjectNode) without.path("metadata").path("annotations")).remove(ClaimInfo.ANN_SELECTED_NODE);
      reschedule = update(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, without, false).handle((o, f) -> null);
    }
    String message = "Failed to provision volume with StorageClass \"" + className + "\": " + why;
    return reschedule.thenCompose(x -> {
      record(claim, VolumeSync.WARNING, VolumeSync.PROVISIONING_FAILED, message);
      return CompletableFuture.failedFuture(new IllegalStateException(message));
    });
  }

  /** Saves the provisioned volume, trying a few times; one that exists already is reused. */
  private CompletionStage<Void> save(ObjectNode claim, ObjectNode volume, String node, String path, int attempts) {
    return client.create(BuiltinTypes.PERSISTENT_VOLUME, "", volume, false, USER, MANAGER).thenCompose(r -> {
      if (r instanceof ResourceEntity.Written w) {
        stored.accept(Json.parseTrusted(w.object()));
      }
      boolean exists = r instanceof ResourceEntity.Rejected rej && rej.error().code() == 409;
      if (r instanceof ResourceEntity.Written || exists) {
        record(claim, VolumeSync.NORMAL, VolumeSync.PROVISIONING_SUCCEEDED, "Successfully provisioned volume "
            + Json.meta(volume, "name") + " using " + LocalPathProvisioner.NAME);
        return CompletableFuture.<Void>completedFuture(null);
      }
      String why = r instanceof ResourceEntity.Rejected rej ? rej.error().message() : String.valueOf(r);
      if (attempts > 1) {
        return later(CREATE_INTERVAL).thenCompose(x -> save(claim, volume, node, path, attempts - 1));
      }
      String key = Observed.key(Json.meta(claim, "namespace"), Json.meta(claim, "name"));
      record(claim, VolumeSync.WARNING, VolumeSync.PROVISIONING_FAILED, "Error creating provisioned PV object for "
          + "claim " + key + ": " + why + ". Deleting the volume.");
      return runHelper(LocalPathProvisioner.Action.DELETE, Json.meta(volume, "name"), node, path)
          .handle((v, failure) -> {
            if (failure != null) {
              record(claim, VolumeSync.WARNING, "ProvisioningCleanupFailed", "Error cleaning provisioned volume for "
                  + "claim " + key + ": " + cause(failure).getMessage() + ". Please delete manually.");
            }
            throw new CompletionException(new IllegalStateException("saving volume " + Json.meta(volume, "name")
                + ": " + why));
          });
    });
  }

  // ---- deletion ----

  /**
   * Kubernetes' {@code deleteVolumeOperation}: on a fresh read, a volume still released has its storage
   * deleted (a local-path directory by a helper pod on its node; a volume of an external provisioner is left
   * to it; any other has nothing outside the API), then loses its {@link DeletionFinalizers#IN_TREE}
   * finalizer, then the volume itself is deleted. A volume a user deleted first (HonorPVReclaimPolicy: the
   * finalizer kept it) is reclaimed the same way. A failure marks it Failed with a VolumeFailedDelete event;
   * the next sync tries again.
   */
  CompletionStage<Void> delete(ObjectNode volumeAsSeen) {
    String name = Json.meta(volumeAsSeen, "name");
    return client.get(BuiltinTypes.PERSISTENT_VOLUME, "", name).thenCompose(got -> {
      if (got.object() == null) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      ObjectNode volume = Json.parseTrusted(got.object());
      if (!Json.meta(volume, "uid").equals(Json.meta(volumeAsSeen, "uid"))) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      return isReleased(volume).thenCompose(released -> !released ? CompletableFuture.<Void>completedFuture(null)
          : deleteStorage(volume).thenCompose(deleted -> deleted ? withoutFinalizer(name).thenApply(v -> true)
              : CompletableFuture.completedFuture(false)).handle((deleted, failure) -> {
            if (failure != null) {
              String why = cause(failure).getMessage();
              return run(VolumeSync.volumePhaseWithEvent(volume, "Failed", VolumeSync.WARNING,
                  VolumeSync.VOLUME_FAILED_DELETE, why), a -> { })
                  .thenCompose(v -> CompletableFuture.<Void>failedFuture(new IllegalStateException(why)));
            }
            if (!deleted) {
              return CompletableFuture.<Void>completedFuture(null);
            }
            return client.delete(BuiltinTypes.PERSISTENT_VOLUME, "", name, ApiClient.Preconditions.uid(
                Json.meta(volume, "uid")), "", null, false, USER).thenAccept(r -> {
                  if (r instanceof ResourceEntity.Rejected rej && rej.error().code() != 404) {
                    throw new WriteRefused("deleting volume " + name, rej.error());
                  }
                });
          }).thenCompose(x -> x));
    });
  }

  /**
   * Kubernetes' {@code removeDeletionProtectionFinalizer}: the storage is gone, so the volume's
   * {@link DeletionFinalizers#IN_TREE} finalizer is removed from its latest version.
   */
  private CompletionStage<Void> withoutFinalizer(String name) {
    return client.get(BuiltinTypes.PERSISTENT_VOLUME, "", name).thenCompose(got -> {
      ObjectNode volume = got.object() == null ? null : Json.parseTrusted(got.object());
      if (volume == null || !ProtectionFinalizers.has(volume, DeletionFinalizers.IN_TREE)) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      return update(BuiltinTypes.PERSISTENT_VOLUME, ProtectionFinalizers.without(volume, DeletionFinalizers.IN_TREE),
          false).handle((written, failure) -> {
            if (failure != null) {
              throw new IllegalStateException("persistent volume controller can't update finalizer: "
                  + cause(failure).getMessage());
            }
            return null;
          });
    });
  }

  /** Kubernetes' {@code isVolumeReleased}: bound to a claim that is gone, or that is bound to another volume. */
  private CompletionStage<Boolean> isReleased(ObjectNode volume) {
    JsonNode ref = volume.path("spec").path("claimRef");
    if (!ref.isObject() || ref.path("uid").asText("").isEmpty()) {
      return CompletableFuture.completedFuture(false);
    }
    return client.get(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, ref.path("namespace").asText(""),
        ref.path("name").asText("")).thenApply(got -> {
          if (got.object() == null) {
            return true;
          }
          ObjectNode claim = Json.parseTrusted(got.object());
          if (!Json.meta(claim, "uid").equals(ref.path("uid").asText())) {
            return true;
          }
          String boundTo = claim.path("spec").path("volumeName").asText("");
          return !boundTo.isEmpty() && !boundTo.equals(Json.meta(volume, "name"));
        });
  }

  /** True when the storage is gone and the volume may go; false when an external deleter owns it. */
  private CompletionStage<Boolean> deleteStorage(ObjectNode volume) {
    String provisionedBy = volume.path("metadata").path("annotations").path(LocalPathProvisioner.ANN_PROVISIONED_BY)
        .asText("");
    if (!provisionedBy.equals(LocalPathProvisioner.NAME)) {
      return CompletableFuture.completedFuture(provisionedBy.isEmpty() || provisionedBy.startsWith("kubernetes.io/"));
    }
    String node = LocalPathProvisioner.nodeOf(volume);
    return client.get(BuiltinTypes.NODE, "", node).thenCompose(got -> {
      if (node.isEmpty() || got.object() == null) {
        throw new IllegalStateException("failed to delete volume " + Json.meta(volume, "name") + ": node \"" + node
            + "\" not found");
      }
      String root = nodeDirectory(Json.parseTrusted(got.object()));
      String path = LocalPathProvisioner.deletablePath(volume, root);
      if (path.isEmpty()) {
        throw new IllegalStateException("failed to delete volume " + Json.meta(volume, "name") + ": its path \""
            + volume.path("spec").path("hostPath").path("path").asText("") + "\" is not in the local-path directory \""
            + root + "\" of node \"" + node + "\"");
      }
      return runHelper(LocalPathProvisioner.Action.DELETE, Json.meta(volume, "name"), node, path).thenApply(v -> true);
    });
  }

  // ---- helper pods ----

  /**
   * Runs the helper pod that makes or removes {@code path} on {@code node} and waits until it has finished
   * (a pod of the same name left by an earlier attempt is waited for instead); the pod is deleted after.
   */
  private CompletionStage<Void> runHelper(LocalPathProvisioner.Action action, String volumeName, String node,
      String path) {
    ObjectNode pod = LocalPathProvisioner.helperPod(action, volumeName, node, path, settings.helperImage(),
        settings.helperNamespace());
    String name = Json.meta(pod, "name");
    long deadline = System.nanoTime() + settings.helperTimeout().toNanos();
    return client.create(BuiltinTypes.POD, settings.helperNamespace(), pod, false, USER, MANAGER).thenCompose(r -> {
      if (r instanceof ResourceEntity.Rejected rej && rej.error().code() != 409) {
        throw new WriteRefused("creating helper pod " + name, rej.error());
      }
      return awaitHelper(action, name, deadline);
    });
  }

  private CompletionStage<Void> awaitHelper(LocalPathProvisioner.Action action, String name, long deadline) {
    return client.get(BuiltinTypes.POD, settings.helperNamespace(), name).thenCompose(got -> {
      if (got.object() == null) {
        throw new IllegalStateException("helper pod " + name + " was deleted before it finished");
      }
      ObjectNode pod = Json.parseTrusted(got.object());
      String phase = pod.path("status").path("phase").asText("");
      if (phase.equals("Succeeded") || phase.equals("Failed") || System.nanoTime() - deadline > 0) {
        CompletionStage<ResourceEntity.WriteResult> removed = client.delete(BuiltinTypes.POD,
            settings.helperNamespace(), name, ApiClient.Preconditions.uid(Json.meta(pod, "uid")), "", 0L, false, USER);
        return removed.thenAccept(r -> {
          if (phase.equals("Failed")) {
            JsonNode terminated = pod.path("status").path("containerStatuses").path(0).path("state").path("terminated");
            throw new IllegalStateException("helper pod " + name + " failed (exit code "
                + terminated.path("exitCode").asInt(-1) + ")");
          }
          if (!phase.equals("Succeeded")) {
            throw new IllegalStateException(action.word() + " process timeout after "
                + settings.helperTimeout().toSeconds() + " seconds");
          }
        });
      }
      return later(HELPER_POLL).thenCompose(x -> awaitHelper(action, name, deadline));
    });
  }

  // ---- plumbing ----

  /** Writes {@code next} when it differs from {@code current}; answers the object as it now is. */
  private CompletionStage<ObjectNode> changed(ResourceType type, ObjectNode current, ObjectNode next,
      boolean statusOnly) {
    return next.equals(current) ? CompletableFuture.completedFuture(current) : update(type, next, statusOnly);
  }

  private CompletionStage<ObjectNode> update(ResourceType type, ObjectNode object, boolean statusOnly) {
    return client.update(type, Json.meta(object, "namespace"), object, statusOnly, false, USER, MANAGER)
        .thenApply(r -> {
          ObjectNode written;
          if (r instanceof ResourceEntity.Written w) {
            written = Json.parseTrusted(w.object());
          } else if (r instanceof ResourceEntity.NotChanged n) {
            written = Json.parseTrusted(n.object());
          } else if (r instanceof ResourceEntity.Rejected rej) {
            throw new WriteRefused("updating " + type.resourceKey() + " " + Json.meta(object, "name")
                + (statusOnly ? " status" : ""), rej.error());
          } else {
            throw new IllegalStateException("updating " + Json.meta(object, "name") + ": " + r);
          }
          if (!(r instanceof ResourceEntity.Written w && w.kind() == ObjectWrites.ChangeKind.DELETED)) {
            stored.accept(written); // an object its last finalizer left is gone: its watch event says so
          }
          return written;
        });
  }

  private void record(JsonNode object, String type, String reason, String message) {
    events.record(EventRecorder.Involved.of(object), type, reason, "", message);
  }

  static String nodeDirectory(JsonNode node) {
    return node.path("metadata").path("annotations").path(LocalPathProvisioner.NODE_DIRECTORY).asText("");
  }

  private static CompletionStage<Void> later(Duration delay) {
    return CompletableFuture.runAsync(() -> { },
        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
  }

  static Throwable cause(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
