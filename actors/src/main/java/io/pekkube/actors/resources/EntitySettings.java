package io.pekkube.actors.resources;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How long the objects' entities stay in memory, read from {@code pekkube.entities} in one place.
 * Every entity leaves after sharding's idle timeout ({@code pekko.cluster.sharding.passivation}); those of
 * {@code quickResources} leave after {@code quickIdle} already, for kinds that are many and written about
 * once, such as Events (a cluster of 30,000 pods writes over 100,000).
 *
 * @param quickResources resource keys ({@code events}, {@code events.events.k8s.io}) whose entities passivate quickly
 * @param quickIdle      how long such an entity stays without a message
 */
public record EntitySettings(Set<String> quickResources, Duration quickIdle) {

  public static EntitySettings from(Config config) {
    Config c = config.getConfig("pekkube.entities.quick-passivation");
    return new EntitySettings(Set.copyOf(c.getStringList("resources")), c.getDuration("idle"));
  }

  /** The idle time after which an entity of {@code resource} asks to be passivated; empty: sharding's default. */
  public Optional<Duration> idleTimeout(String resource) {
    return quickResources.contains(resource) ? Optional.of(quickIdle) : Optional.empty();
  }
}
