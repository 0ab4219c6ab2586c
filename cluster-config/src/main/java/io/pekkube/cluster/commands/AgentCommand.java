package io.pekkube.cluster.commands;

import io.pekkube.actors.cluster.Roles;
import io.pekkube.cluster.PekkubeNode;
import io.pekkube.cluster.settings.NodeSettings;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pekkube agent}: a worker-only JVM that joins a cluster; it serves no API. */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "Start a worker-only Pekkube node that joins an existing cluster (no API port; it hosts "
        + "the node's kubelet and runtime).")
public final class AgentCommand implements Callable<Integer> {

  @Option(names = "--seed", paramLabel = "host:port", required = true,
      description = "Cluster port of a control-plane node to join; repeat for several.")
  List<String> seeds;

  @Option(names = "--cluster-host", defaultValue = "127.0.0.1",
      description = "Address this node's cluster traffic binds to and is reached at (default: ${DEFAULT-VALUE}).")
  String clusterHost;

  @Option(names = "--cluster-port", defaultValue = "2552",
      description = "Port for Pekko cluster traffic (default: ${DEFAULT-VALUE}).")
  int clusterPort;

  @Option(names = "--node-name", required = true, description = "Name of this worker node.")
  String nodeName;

  @Option(names = "--data-dir", defaultValue = ".pekkube-agent",
      description = "Directory for the agent's local state (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--store", defaultValue = "embedded",
      description = "The cluster's store, as given to its servers (default: ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--simulate", paramLabel = "N", defaultValue = "0",
      description = "Host N simulated nodes (<node-name>-sim-<i>, each with its Node, Lease and kubelet) whose pods "
          + "run on the simulated runtime instead of the host's node (default: ${DEFAULT-VALUE}: the host's node).")
  int simulate;

  @Override
  public Integer call() throws Exception {
    if (simulate < 0) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--simulate must be 0 or more, was " + simulate);
    }
    NodeSettings settings = new NodeSettings(dataDir.toAbsolutePath(), "127.0.0.1", -1, clusterHost, clusterPort, seeds,
        List.of(Roles.WORKER), store, nodeName);
    PekkubeNode node = PekkubeNode.start(settings, ConfigFactory.parseMap(Map.of("pekkube.node.kubelet.simulate", simulate)));
    return NodeLifetime.serve(node,
        () -> System.out.println("Pekkube agent " + nodeName + " is joining the cluster through " + seeds
            + (simulate > 0 ? " with " + simulate + " simulated nodes" : "")));
  }
}
