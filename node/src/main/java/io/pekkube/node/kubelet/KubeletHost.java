package io.pekkube.node.kubelet;

import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.node.kubelet.server.KubeletServer;
import io.pekkube.node.probes.Prober;
import io.pekkube.node.runtime.ContainerRuntime;
import io.pekkube.node.volumes.PodVolumes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * The kubelets of one JVM and their shared HTTP endpoint: one kubelet for the host's own node, or
 * {@code count} simulated ones named {@code <node-name>-sim-<i>}. Simulated kubelets share the endpoint,
 * the probe executor and the actor system's timers, so a thousand of them cost no thread each.
 */
public final class KubeletHost implements AutoCloseable {
  private final ServerBinding binding;
  private final List<ActorRef<Kubelet.Command>> kubelets;
  private final List<String> nodeNames;
  private final List<ContainerRuntime> runtimes;

  private KubeletHost(ServerBinding binding, List<ActorRef<Kubelet.Command>> kubelets, List<String> nodeNames,
      List<ContainerRuntime> runtimes) {
    this.binding = binding;
    this.kubelets = kubelets;
    this.nodeNames = nodeNames;
    this.runtimes = runtimes;
  }

  /**
   * Starts the kubelet of {@code nodeName} (or the simulated ones when {@code settings.simulate() > 0}),
   * with the runtime {@code runtimes} gives for each node name.
   */
  public static KubeletHost start(ActorSystem<?> system, ApiClient client, KubeletSettings settings, String nodeName,
      String defaultAddress, Path dataDir, Function<String, ContainerRuntime> runtimes, String version)
      throws Exception {
    String address = settings.address().isBlank() ? defaultAddress : settings.address();
    Path directory = settings.directory().isBlank() ? dataDir.resolve("kubelet") : Path.of(settings.directory());
    Files.createDirectories(directory);
    LocalPods localPods = new LocalPods();
    ServerBinding binding = new KubeletServer(system, localPods).bind(address, settings.port())
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    int port = binding.localAddress().getPort();
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    boolean simulated = settings.simulate() > 0;
    List<String> names = new ArrayList<>();
    if (simulated) {
      for (int i = 0; i < settings.simulate(); i++) {
        names.add(nodeName + "-sim-" + i);
      }
    } else {
      names.add(nodeName);
    }
    NodeResources simulatedResources = new NodeResources(4000, 16L << 30, 100L << 30, settings.maxPods(), 16L << 30,
        100L << 30).override(settings.cpuMillis(), settings.memoryBytes(), settings.ephemeralStorageBytes());
    List<ActorRef<Kubelet.Command>> kubelets = new ArrayList<>();
    List<ContainerRuntime> used = new ArrayList<>();
    for (String name : names) {
      ContainerRuntime runtime = runtimes.apply(name);
      if (!used.contains(runtime)) {
        used.add(runtime);
      }
      Path podsDir = directory.resolve(simulated ? name : "").resolve("pods");
      PodEnvironment env = new PodEnvironment(client, runtime, new Prober(runtime, blocking), name,
          new EnvResolution.NodeFacts(address, address, simulatedResources.cpuMillis(), simulatedResources.memoryBytes()),
          podsDir, new PodVolumes(podsDir.getParent()), settings.crashLoopBackOff(), settings.imagePullBackOff(),
          settings.syncFrequency(), localPods, PodEnvironment.eventRecorder(client, name, Clock.systemUTC()),
          Clock.systemUTC());
      Supplier<NodeResources> resources = simulated ? () -> simulatedResources
          : () -> NodeResources.ofHost(directory, settings.maxPods())
              .override(settings.cpuMillis(), settings.memoryBytes(), settings.ephemeralStorageBytes());
      NodeResources now = resources.get();
      env = new PodEnvironment(env.client(), env.runtime(), env.prober(), name,
          new EnvResolution.NodeFacts(address, address, now.cpuMillis(), now.memoryBytes()), podsDir, env.volumes(),
          env.crashBackOff(), env.pullBackOff(), env.syncFrequency(), localPods, env.events(), env.clock());
      // A simulated node has no disk of its own: it keeps no local-path volumes.
      NodeObjects.Identity identity = new NodeObjects.Identity(name, address, name, port, version,
          "pekkube://" + (simulated ? "simulated" : "process"),
          simulated ? "" : podsDir.getParent().resolve("local-path").toAbsolutePath().toString());
      kubelets.add(system.systemActorOf(Kubelet.create(env, identity, resources, settings.timing()), "kubelet-" + name,
          Props.empty()));
    }
    return new KubeletHost(binding, kubelets, names, used);
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  /** The distinct runtimes of the kubelets (one when they share it). */
  public List<ContainerRuntime> runtimes() {
    return runtimes;
  }

  public List<String> nodeNames() {
    return nodeNames;
  }

  @Override
  public void close() {
    try {
      binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // The actor system's shutdown ends the binding anyway.
    }
  }
}
