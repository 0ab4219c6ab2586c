package io.pekkube.cluster.commands;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.pekkube.actors.controllers.eventttl.EventTtlSettings;
import io.pekkube.actors.controllers.nodelifecycle.NodeLifecycleSettings;
import io.pekkube.cluster.PekkubeNode;
import io.pekkube.cluster.settings.GoDuration;
import io.pekkube.cluster.settings.NodeSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pekkube server}: a control-plane (and by default also worker) JVM serving the API. */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Start a Pekkube node that serves the Kubernetes API (by default a single-node "
        + "cluster with the control-plane and worker roles on the embedded store).")
public final class ServerCommand implements Callable<Integer> {

  @Option(names = "--data-dir", defaultValue = ".pekkube",
      description = "Directory for the embedded store, logs and the kubeconfig (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--api-port", defaultValue = "6443",
      description = "Port of the Kubernetes API on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int apiPort;

  @Option(names = "--cluster-host", defaultValue = "127.0.0.1",
      description = "Address this node's cluster traffic binds to and is reached at (default: ${DEFAULT-VALUE}).")
  String clusterHost;

  @Option(names = "--cluster-port", defaultValue = "2551",
      description = "Port for Pekko cluster traffic between nodes (default: ${DEFAULT-VALUE}).")
  int clusterPort;

  @Option(names = "--seed", paramLabel = "host:port",
      description = "Cluster port of a node to join; repeat for several. Without seeds the node forms "
          + "a new cluster by joining itself.")
  List<String> seeds = new ArrayList<>();

  @Option(names = "--roles", split = ",", defaultValue = "control-plane,worker",
      description = "Roles of this node: control-plane, worker (default: ${DEFAULT-VALUE}).")
  List<String> roles;

  @Option(names = "--store", defaultValue = "embedded",
      description = "Where events are journaled: 'embedded' (H2 file in the data dir) or "
          + "cassandra://host:port (default: ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--node-name",
      description = "Name of this node (default: the host name).")
  String nodeName;

  @Option(names = "--node-monitor-grace-period", paramLabel = "duration",
      description = "How long a node may go without renewing its Lease or posting a Ready heartbeat before "
          + "it is marked Unknown and tainted unreachable, e.g. 40s (default: 20s, "
          + "pekkube.controllers.node-lifecycle.node-monitor-grace-period).")
  String nodeMonitorGracePeriod;

  @Spec
  CommandSpec spec;

  Duration eventTtl;

  @Option(names = "--event-ttl", paramLabel = "duration", converter = GoDuration.Converter.class,
      description = "Amount of time to retain events after their last write, e.g. 1h, 90s, 5m0s (default: 1h, "
          + "pekkube.events.ttl).")
  void eventTtl(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new ParameterException(spec.commandLine(), "--event-ttl must be greater than 0");
    }
    eventTtl = ttl;
  }

  @Override
  public Integer call() throws Exception {
    String name = nodeName != null ? nodeName : java.net.InetAddress.getLocalHost().getHostName();
    NodeSettings settings = new NodeSettings(dataDir.toAbsolutePath(), "127.0.0.1", apiPort, clusterHost, clusterPort,
        seeds, roles, store, name);
    PekkubeNode node = PekkubeNode.start(settings, overrides());
    return NodeLifetime.serve(node, () -> {
      long ms = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
      System.out.println("Pekkube is serving the Kubernetes API on http://127.0.0.1:" + node.apiPort()
          + " (ready " + ms + " ms after the JVM started, store: " + store + ")");
      System.out.println("Point kubectl at it with:");
      System.out.println("  export KUBECONFIG=" + PekkubeNode.kubeconfigPath(settings));
    });
  }

  /** Configuration set by flags, on top of everything else. */
  Config overrides() {
    Config config = ConfigFactory.empty();
    if (nodeMonitorGracePeriod != null) {
      config = config.withValue(NodeLifecycleSettings.PATH + ".node-monitor-grace-period",
          ConfigValueFactory.fromAnyRef(nodeMonitorGracePeriod));
    }
    if (eventTtl != null) {
      config = config.withValue(EventTtlSettings.PATH + ".ttl",
          ConfigValueFactory.fromAnyRef(eventTtl.toNanos() + "ns"));
    }
    return config;
  }
}
