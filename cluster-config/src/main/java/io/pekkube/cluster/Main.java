package io.pekkube.cluster;

import io.pekkube.cluster.commands.AgentCommand;
import io.pekkube.cluster.commands.CassandraCommand;
import io.pekkube.cluster.commands.ServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pekkube} launcher: only wires sub-commands. */
@Command(name = "pekkube", mixinStandardHelpOptions = true, version = "pekkube 0.1.0",
    description = "A Kubernetes-compatible control plane on Apache Pekko.",
    subcommands = {ServerCommand.class, AgentCommand.class, CassandraCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    CommonPool.ensureParallelism();
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
