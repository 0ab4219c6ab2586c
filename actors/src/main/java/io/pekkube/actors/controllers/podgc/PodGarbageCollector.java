package io.pekkube.actors.controllers.podgc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.controllers.runtime.ControllerSingleton;
import io.pekkube.actors.controllers.runtime.TypeWatch;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.gateway.FieldManager;
import io.pekkube.actors.resources.ObjectFilter;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.actors.resources.ResourceHub;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Kubernetes' pod garbage collector for orphaned pods, once per cluster (a singleton on the control
 * plane): when a Node object is deleted, the pods still bound to it can never be stopped by a kubelet,
 * so they are force-deleted — marked Failed with the DisruptionTarget condition ({@link OrphanedPods}),
 * then deleted with grace period 0. It watches Nodes only; a node that vanished while the watch was
 * down shows as missing from the next list. Before it deletes anything it reads the node live, so a
 * node deleted and created again keeps its pods.
 */
public final class PodGarbageCollector {
  static final String USER = "system:serviceaccount:kube-system:pod-garbage-collector";
  static final String FIELD_MANAGER = "PodGC";

  public interface Command extends NoSerializationVerificationNeeded {}

  private record Notified(TypeWatch.Notification notification) implements Command {}

  private record Collected(String node, Throwable failure) implements Command {}

  private PodGarbageCollector() {}

  public static void initSingleton(ActorSystem<?> system, ApiClient client) {
    ControllerSingleton.init(system, "pod-garbage-collector", create(client, Clock.systemUTC()));
  }

  public static Behavior<Command> create(ApiClient client, Clock clock) {
    return Behaviors.setup(ctx -> {
      ActorRef<TypeWatch.Notification> adapter = ctx.messageAdapter(TypeWatch.Notification.class, Notified::new);
      ctx.spawn(TypeWatch.create(client, BuiltinTypes.NODE, adapter), "watch-nodes");
      Set<String> nodes = new HashSet<>();
      return Behaviors.receive(Command.class)
          .onMessage(Notified.class, n -> {
            onNodes(ctx, client, clock, nodes, n.notification());
            return Behaviors.same();
          })
          .onMessage(Collected.class, c -> {
            if (c.failure() != null) {
              ctx.getLog().info("pod gc: the pods of deleted node {} were not all deleted ({})", c.node(),
                  c.failure().getMessage());
            }
            return Behaviors.same();
          })
          .build();
    });
  }

  private static void onNodes(ActorContext<Command> ctx, ApiClient client, Clock clock, Set<String> nodes,
      TypeWatch.Notification notification) {
    List<String> gone = new ArrayList<>();
    if (notification instanceof TypeWatch.Listed listed) {
      List<String> names = listed.objects().stream().map(o -> Json.meta(o, "name")).toList();
      gone.addAll(OrphanedPods.gone(nodes, names));
      nodes.clear();
      nodes.addAll(names);
    } else if (notification instanceof TypeWatch.Changed changed) {
      String name = Json.meta(changed.object(), "name");
      if ("DELETED".equals(changed.change())) {
        nodes.remove(name);
        gone.add(name);
      } else {
        nodes.add(name);
      }
    }
    for (String node : gone) {
      ctx.pipeToSelf(collect(client, clock, node), (v, failure) -> new Collected(node, failure));
    }
  }

  /** Reads the node live; when it is really gone, force-deletes every pod still bound to it. */
  static CompletionStage<Void> collect(ApiClient client, Clock clock, String node) {
    return client.get(BuiltinTypes.NODE, "", node).thenCompose(got -> {
      if (got.object() != null) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      return client.list(BuiltinTypes.POD, new ObjectFilter("Pod", "", "", "spec.nodeName=" + node), "", false, 0, "")
          .thenCompose(result -> {
            if (!(result instanceof ResourceHub.Listed listed)) {
              throw new IllegalStateException("listing the pods of node " + node + " failed: " + result);
            }
            CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
            for (String item : listed.items()) {
              ObjectNode pod = Json.parseTrusted(item);
              chain = chain.thenCompose(v -> forceDelete(client, clock, pod));
            }
            return chain;
          });
    });
  }

  private static CompletionStage<Void> forceDelete(ApiClient client, Clock clock, ObjectNode pod) {
    String ns = Json.meta(pod, "namespace");
    String name = Json.meta(pod, "name");
    String uid = Json.meta(pod, "uid");
    CompletionStage<ResourceEntity.WriteResult> failed = OrphanedPods.failedStatus(pod, clock.instant())
        .map(status -> {
          ObjectNode object = Json.object();
          object.put("apiVersion", "v1").put("kind", "Pod");
          object.putObject("metadata").put("name", name).put("namespace", ns).put("uid", uid);
          object.set("status", status);
          return client.update(BuiltinTypes.POD, ns, object, true, false, USER, FieldManager.of(FIELD_MANAGER));
        })
        .orElse(CompletableFuture.completedFuture(null));
    return failed.thenCompose(ignored -> client.delete(BuiltinTypes.POD, ns, name, ApiClient.Preconditions.uid(uid),
        "", 0L, false, USER)).thenAccept(result -> {
          if (result instanceof ResourceEntity.Rejected rej && rej.error().code() != 404 && rej.error().code() != 409) {
            throw new IllegalStateException("deleting pod " + ns + "/" + name + ": " + rej.error().message());
          }
        });
  }
}
