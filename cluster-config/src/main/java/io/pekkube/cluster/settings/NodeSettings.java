package io.pekkube.cluster.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one control-plane or worker JVM is: its data directory, API and cluster ports, seeds, roles,
 * store and node name. Turns itself into the Pekko configuration overlay for the cluster.
 */
public record NodeSettings(Path dataDir, String apiHost, int apiPort, String clusterHost, int clusterPort,
    List<String> seeds, List<String> roles, String store, String nodeName) {

  /** A node whose cluster traffic uses 127.0.0.1, like its API. */
  public NodeSettings(Path dataDir, String apiHost, int apiPort, int clusterPort, List<String> seeds,
      List<String> roles, String store, String nodeName) {
    this(dataDir, apiHost, apiPort, "127.0.0.1", clusterPort, seeds, roles, store, nodeName);
  }

  public Config clusterConfig() {
    List<String> seedNodes = seeds.stream().map(s -> "pekko://pekkube@" + s).toList();
    return ConfigFactory.parseMap(Map.of(
        "pekko.remote.artery.canonical.hostname", clusterHost,
        "pekko.remote.artery.canonical.port", clusterPort,
        "pekko.cluster.roles", roles,
        "pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seedNodes).unwrapped()));
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
