package io.pekkube.node.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ResourceEntity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Keeps a node known to the control plane: registers its Node (an existing one is kept), renews its
 * Lease in {@code kube-node-lease} every renew interval, and writes the node's status (capacity,
 * conditions, addresses) every update interval when it changed, and at least every report interval.
 */
public final class NodeHeartbeat {

  /** How often and how long. */
  public record Timing(Duration statusUpdate, Duration statusReport, Duration leaseDuration, Duration leaseRenew) {}

  public sealed interface Command extends NoSerializationVerificationNeeded {}

  private record Register() implements Command {}

  private record Registered(ResourceEntity.WriteResult result, Throwable failure) implements Command {}

  private record NodeRead(ResourceEntity.GetResult result, Throwable failure) implements Command {}

  private record StatusTick() implements Command {}

  private record StatusWritten(JsonNode status, ResourceEntity.WriteResult result, Throwable failure) implements Command {}

  private record LeaseTick() implements Command {}

  private record LeaseWritten(ResourceEntity.WriteResult result, Throwable failure) implements Command {}

  private record LeaseRead(ResourceEntity.GetResult result, Throwable failure) implements Command {}

  /** The local-path annotation of a node registered before was brought up to date; {@code problem} empty when so. */
  private record AnnotationWritten(String problem) implements Command {}

  private NodeHeartbeat() {}

  public static Behavior<Command> create(ApiClient client, NodeObjects.Identity id, Supplier<NodeResources> resources,
      Timing timing, Clock clock) {
    return Behaviors.<Command>setup(ctx -> Behaviors.withTimers(timers -> {
      String user = "system:node:" + id.name();
      var state = new Object() {
        String nodeUid = "";
        JsonNode written = Json.object();
        Instant writtenAt = Instant.EPOCH;
        ObjectNode lease;
        boolean writingStatus;
        boolean writingLease;
      };
      Runnable register = () -> ctx.pipeToSelf(client.create(BuiltinTypes.NODE, "", NodeObjects.node(id), false, user),
          Registered::new);
      Runnable writeStatus = () -> {
        if (state.nodeUid.isEmpty() || state.writingStatus) {
          return;
        }
        Instant now = clock.instant();
        ObjectNode status = NodeObjects.status(id, resources.get(), state.written, now);
        if (!NodeObjects.changed(state.written, status)
            && Duration.between(state.writtenAt, now).compareTo(timing.statusReport()) < 0) {
          return;
        }
        ObjectNode node = Json.object();
        node.put("apiVersion", "v1").put("kind", "Node");
        node.putObject("metadata").put("name", id.name()).put("uid", state.nodeUid);
        node.set("status", status);
        state.writingStatus = true;
        ctx.pipeToSelf(client.update(BuiltinTypes.NODE, "", node, true, false, user),
            (r, f) -> new StatusWritten(status, r, f));
      };
      Runnable renewLease = () -> {
        if (state.nodeUid.isEmpty() || state.writingLease) {
          return;
        }
        state.writingLease = true;
        ObjectNode next = NodeObjects.lease(id.name(), state.nodeUid, timing.leaseDuration(), clock.instant());
        if (state.lease == null) {
          ctx.pipeToSelf(client.create(BuiltinTypes.LEASE, NodeObjects.LEASE_NAMESPACE, next, false, user),
              LeaseWritten::new);
        } else {
          ObjectNode renewed = state.lease.deepCopy();
          renewed.set("spec", next.get("spec"));
          ctx.pipeToSelf(client.update(BuiltinTypes.LEASE, NodeObjects.LEASE_NAMESPACE, renewed, false, false, user),
              LeaseWritten::new);
        }
      };
      register.run();
      return Behaviors.receive(Command.class)
          .onMessage(Registered.class, r -> {
            if (r.result() instanceof ResourceEntity.Written
                || r.result() instanceof ResourceEntity.Rejected rej && rej.error().code() == 409) {
              ctx.pipeToSelf(client.get(BuiltinTypes.NODE, "", id.name()), NodeRead::new);
            } else {
              ctx.getLog().info("registering node {} failed ({}); retrying", id.name(),
                  r.failure() != null ? r.failure().toString() : r.result());
              timers.startSingleTimer(new Register(), Duration.ofSeconds(2));
              return Behaviors.same();
            }
            return Behaviors.same();
          })
          .onMessage(Register.class, r -> {
            register.run();
            return Behaviors.same();
          })
          .onMessage(NodeRead.class, r -> {
            if (r.result() == null || r.result().object() == null) {
              register.run();
              return Behaviors.same();
            }
            ObjectNode node = Json.parseTrusted(r.result().object());
            state.nodeUid = Json.meta(node, "uid");
            NodeObjects.withLocalPathDirectory(node, id).ifPresent(annotated -> ctx.pipeToSelf(
                client.update(BuiltinTypes.NODE, "", annotated, false, false, user), (w, f) -> new AnnotationWritten(
                    f != null ? f.toString() : w instanceof ResourceEntity.Rejected rej ? rej.error().message() : "")));
            state.written = node.path("status");
            ctx.getLog().info("node {} registered", id.name());
            writeStatus.run();
            renewLease.run();
            timers.startTimerWithFixedDelay(new StatusTick(), timing.statusUpdate());
            timers.startTimerWithFixedDelay(new LeaseTick(), timing.leaseRenew());
            return Behaviors.same();
          })
          .onMessage(AnnotationWritten.class, w -> {
            if (!w.problem().isEmpty()) {
              ctx.getLog().info("annotating node {} with its local-path directory failed: {}", id.name(), w.problem());
            }
            return Behaviors.same();
          })
          .onMessage(StatusTick.class, t -> {
            writeStatus.run();
            return Behaviors.same();
          })
          .onMessage(StatusWritten.class, w -> {
            state.writingStatus = false;
            if (w.result() instanceof ResourceEntity.Written || w.result() instanceof ResourceEntity.NotChanged) {
              state.written = w.status();
              state.writtenAt = clock.instant();
            } else if (w.result() instanceof ResourceEntity.Rejected rej && rej.error().code() == 404) {
              // The node was deleted: register it again, as Kubernetes' kubelet does on restart.
              state.nodeUid = "";
              state.lease = null;
              timers.cancelAll();
              register.run();
            }
            return Behaviors.same();
          })
          .onMessage(LeaseTick.class, t -> {
            renewLease.run();
            return Behaviors.same();
          })
          .onMessage(LeaseWritten.class, w -> {
            state.writingLease = false;
            if (w.result() instanceof ResourceEntity.Written written) {
              state.lease = Json.parseTrusted(written.object());
            } else {
              // A conflict or an existing lease: read it and renew from there on the next tick.
              state.lease = null;
              ctx.pipeToSelf(client.get(BuiltinTypes.LEASE, NodeObjects.LEASE_NAMESPACE, id.name()), LeaseRead::new);
            }
            return Behaviors.same();
          })
          .onMessage(LeaseRead.class, r -> {
            if (r.result() != null && r.result().object() != null) {
              state.lease = Json.parseTrusted(r.result().object());
              renewLease.run();
            }
            return Behaviors.same();
          })
          .build();
    }));
  }
}
