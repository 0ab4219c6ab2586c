package io.pekkube.node.kubelet;

import com.typesafe.config.Config;
import io.kubernetes.client.custom.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * The kubelet's settings ({@code pekkube.node.kubelet} in the node module's reference.conf, where each
 * key is documented). Empty capacity values mean "the host's".
 */
public record KubeletSettings(
    boolean enabled,
    String address,
    int port,
    String directory,
    int maxPods,
    long cpuMillis,
    long memoryBytes,
    long ephemeralStorageBytes,
    NodeHeartbeat.Timing timing,
    RestartBackOff crashLoopBackOff,
    RestartBackOff imagePullBackOff,
    Duration syncFrequency,
    int simulate) {

  public static KubeletSettings from(Config root) {
    Config c = root.getConfig("pekkube.node.kubelet");
    return new KubeletSettings(
        c.getBoolean("enabled"),
        c.getString("address"),
        c.getInt("port"),
        c.getString("directory"),
        c.getInt("max-pods"),
        quantity(c.getString("capacity.cpu"), 1000),
        quantity(c.getString("capacity.memory"), 1),
        quantity(c.getString("capacity.ephemeral-storage"), 1),
        new NodeHeartbeat.Timing(c.getDuration("node-status-update-frequency"),
            c.getDuration("node-status-report-frequency"), c.getDuration("node-lease-duration"),
            c.getDuration("node-lease-renew-interval")),
        new RestartBackOff(c.getDuration("crash-loop-back-off.initial"), c.getDuration("crash-loop-back-off.max"),
            c.getDuration("crash-loop-back-off.reset-after")),
        new RestartBackOff(c.getDuration("image-pull-back-off.initial"), c.getDuration("image-pull-back-off.max"),
            Duration.ofDays(365)),
        c.getDuration("sync-frequency"),
        c.getInt("simulate"));
  }

  /**
   * A quantity in units of {@code 1/scale} (cpu: millicores with scale 1000), rounded up as
   * Kubernetes' {@code MilliValue} and {@code Value} round; 0 when empty.
   */
  static long quantity(String text, int scale) {
    if (text.isBlank()) {
      return 0;
    }
    return new Quantity(text).getNumber().multiply(BigDecimal.valueOf(scale)).setScale(0, RoundingMode.CEILING)
        .longValue();
  }
}
