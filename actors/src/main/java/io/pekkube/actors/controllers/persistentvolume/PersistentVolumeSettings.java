package io.pekkube.actors.controllers.persistentvolume;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code pekkube.controllers.persistent-volume}: whether the controller runs, how often every claim and
 * volume is synced again ({@code resync-period}, kube-controller-manager's {@code --pvclaimbinder-sync-period}),
 * and the helper pods of the local-path provisioner (image, namespace, how long one may take).
 */
public record PersistentVolumeSettings(boolean enabled, Duration resyncPeriod, String helperImage,
    String helperNamespace, Duration helperTimeout) {

  public static final String PATH = "pekkube.controllers.persistent-volume";

  public static PersistentVolumeSettings from(Config config) {
    Config c = config.getConfig(PATH);
    Config helper = c.getConfig("local-path");
    return new PersistentVolumeSettings(c.getBoolean("enabled"), c.getDuration("resync-period"),
        helper.getString("helper-image"), helper.getString("helper-namespace"), helper.getDuration("helper-timeout"));
  }
}
