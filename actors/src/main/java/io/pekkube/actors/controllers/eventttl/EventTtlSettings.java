package io.pekkube.actors.controllers.eventttl;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code pekkube.events}: how long an Event lives after its last write ({@code ttl}, kube-apiserver's
 * {@code --event-ttl}, default 1h; {@code pekkube server --event-ttl}).
 */
public record EventTtlSettings(Duration ttl) {

  public static final String PATH = "pekkube.events";

  public EventTtlSettings {
    if (ttl.isNegative() || ttl.isZero()) {
      // kube-apiserver's own check of the flag.
      throw new IllegalArgumentException("--event-ttl must be greater than 0");
    }
  }

  public static EventTtlSettings from(Config config) {
    return new EventTtlSettings(config.getConfig(PATH).getDuration("ttl"));
  }
}
