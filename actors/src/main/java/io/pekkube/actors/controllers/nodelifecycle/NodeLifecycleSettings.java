package io.pekkube.actors.controllers.nodelifecycle;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code pekkube.controllers.node-lifecycle}: whether the controller runs, how long a node may go
 * unheard before it is marked Unknown ({@code node-monitor-grace-period}, Kubernetes' flag of the same
 * name) and how often every node and pod is looked at ({@code node-monitor-period}).
 */
public record NodeLifecycleSettings(boolean enabled, Duration gracePeriod, Duration monitorPeriod) {

  public static final String PATH = "pekkube.controllers.node-lifecycle";

  public static NodeLifecycleSettings from(Config config) {
    Config c = config.getConfig(PATH);
    return new NodeLifecycleSettings(c.getBoolean("enabled"), c.getDuration("node-monitor-grace-period"),
        c.getDuration("node-monitor-period"));
  }
}
