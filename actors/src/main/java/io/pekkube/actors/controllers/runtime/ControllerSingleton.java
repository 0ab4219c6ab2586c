package io.pekkube.actors.controllers.runtime;

import io.pekkube.actors.cluster.Roles;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * Starts a controller once in the cluster: a Cluster Singleton on the {@code control-plane} role, restarted with
 * back-off (1 s doubling to 30 s) when it fails, so that a bug or a lost answer costs a rebuilt view, not the
 * controller. Every member calls this; the oldest control-plane member runs it.
 */
public final class ControllerSingleton {

  private ControllerSingleton() {}

  public static <C> void init(ActorSystem<?> system, String name, Behavior<C> controller) {
    Behavior<C> supervised = Behaviors.supervise(controller)
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
    ClusterSingleton.get(system).init(SingletonActor.of(supervised, name)
        .withSettings(ClusterSingletonSettings.create(system).withRole(Roles.CONTROL_PLANE)));
  }
}
