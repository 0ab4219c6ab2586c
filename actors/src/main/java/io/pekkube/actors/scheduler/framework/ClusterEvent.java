package io.pekkube.actors.scheduler.framework;

import io.pekkube.actors.api.ResourceType;
import java.util.Set;

/** Changes to objects of one type that may make a rejected pod schedulable: Kubernetes' {@code ClusterEvent}. */
public record ClusterEvent(ResourceType resource, Set<Action> actions) {

  public enum Action { ADD, UPDATE, DELETE }

  public boolean matches(ResourceType type, Action action) {
    return resource.equals(type) && actions.contains(action);
  }

  /** The action of a watch event ({@code ADDED}, {@code MODIFIED}, {@code DELETED}). */
  public static Action action(String watchEventType) {
    return switch (watchEventType) {
      case "ADDED" -> Action.ADD;
      case "DELETED" -> Action.DELETE;
      default -> Action.UPDATE;
    };
  }
}
