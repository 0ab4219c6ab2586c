package io.pekkube.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.TypeRegistry;
import io.pekkube.actors.cluster.Roles;
import io.pekkube.actors.controllers.eventttl.EventTtlController;
import io.pekkube.actors.controllers.eventttl.EventTtlSettings;
import io.pekkube.actors.controllers.garbagecollector.GarbageCollector;
import io.pekkube.actors.controllers.nodelifecycle.NodeLifecycleController;
import io.pekkube.actors.controllers.nodelifecycle.NodeLifecycleSettings;
import io.pekkube.actors.controllers.persistentvolume.PersistentVolumeController;
import io.pekkube.actors.controllers.persistentvolume.PersistentVolumeSettings;
import io.pekkube.actors.controllers.podgc.PodGarbageCollector;
import io.pekkube.actors.controllers.pvcprotection.PvcProtectionController;
import io.pekkube.actors.controllers.pvprotection.PvProtectionController;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.gateway.ApiGateway;
import io.pekkube.actors.resources.EntitySettings;
import io.pekkube.actors.resources.HubSettings;
import io.pekkube.actors.resources.JournalObjectLoader;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.actors.resources.ResourceHub;
import io.pekkube.actors.scheduler.Scheduler;
import io.pekkube.actors.scheduler.SchedulerSettings;
import io.pekkube.cluster.settings.NodeSettings;
import io.pekkube.http.ApiServer;
import io.pekkube.http.routes.Subresources;
import io.pekkube.http.routes.pods.KubeletClient;
import io.pekkube.node.kubelet.KubeletHost;
import io.pekkube.node.kubelet.KubeletSettings;
import io.pekkube.node.runtime.ContainerRuntime;
import io.pekkube.node.runtime.RuntimeSettings;
import io.pekkube.node.runtime.SimulatedRuntime;
import io.pekkube.persistence.journal.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Pekkube JVM: its actor system in the cluster, the sharded entities and hubs, the
 * gateway and, on control-plane nodes, the API server. {@link #start} returns when the API serves
 * (on a worker-only node: when the actor system runs; it joins the cluster in the background).
 */
public final class PekkubeNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PekkubeNode.class);
  /** How long requests under way get to finish when the API server stops. */
  private static final Duration API_DRAIN = Duration.ofSeconds(3);
  /** The namespaces every Kubernetes cluster starts with. */
  static final String[] INITIAL_NAMESPACES = {"default", "kube-system", "kube-public", "kube-node-lease"};

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final ApiClient client;
  private final NodeSettings settings;
  private final KubeletHost kubelets;
  private volatile boolean closing;

  private PekkubeNode(ActorSystem<Void> system, ServerBinding binding, ApiClient client, NodeSettings settings,
      KubeletHost kubelets) {
    this.system = system;
    this.binding = binding;
    this.client = client;
    this.settings = settings;
    this.kubelets = kubelets;
  }

  public static PekkubeNode start(NodeSettings settings) throws Exception {
    return start(settings, ConfigFactory.empty());
  }

  /** Starts a node with configuration {@code overrides} on top of everything else (tests, tuning). */
  public static PekkubeNode start(NodeSettings settings, Config overrides) throws Exception {
    Files.createDirectories(settings.dataDir());
    boolean controlPlane = settings.hasRole(Roles.CONTROL_PLANE);
    StoreSettings store = StoreSettings.parse(settings.store(), settings.dataDir());
    if (controlPlane) {
      store.prepareSchema();
    }
    MembershipRecord membership = new MembershipRecord(settings.dataDir());
    Config config = overrides.withFallback(settings.clusterConfig())
        .withFallback(ConfigFactory.parseMap(Map.of("pekkube.cluster.rejoining", membership.heldAtStart())))
        .withFallback(store.toConfig())
        .withFallback(ConfigFactory.load("pekkube"));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "pekkube", config);
    try {
      Cluster cluster = Cluster.get(system);
      if (settings.seeds().isEmpty()) {
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
      }
      TypeRegistry types = TypeRegistry.builtin();
      // Every node starts sharding; only control-plane nodes host entities and hubs (the others proxy).
      ResourceEntity.init(system, EntitySettings.from(system.settings().config()));
      ResourceHub.init(system, HubSettings.from(system.settings().config()),
          new JournalObjectLoader(system, store.readJournalPluginId()));
      Duration askTimeout = system.settings().config().getDuration("pekkube.gateway.ask-timeout");
      ActorRef<ApiGateway.Command> gateway = system.systemActorOf(ApiGateway.create(types, askTimeout),
          "api-gateway", org.apache.pekko.actor.typed.Props.empty());
      ApiClient client = new ApiClient(system, gateway, askTimeout);
      // Controllers run once in the cluster, on a control-plane member; every member takes part in the choice.
      if (system.settings().config().getBoolean("pekkube.controllers.garbage-collector.enabled")) {
        GarbageCollector.initSingleton(system, client, types);
      }
      NodeLifecycleSettings nodeLifecycle = NodeLifecycleSettings.from(system.settings().config());
      if (nodeLifecycle.enabled()) {
        NodeLifecycleController.initSingleton(system, client, nodeLifecycle);
      }
      if (system.settings().config().getBoolean("pekkube.controllers.pod-gc.enabled")) {
        PodGarbageCollector.initSingleton(system, client);
      }
      PersistentVolumeSettings persistentVolumes = PersistentVolumeSettings.from(system.settings().config());
      if (persistentVolumes.enabled()) {
        PersistentVolumeController.initSingleton(system, client, persistentVolumes);
      }
      // Admission sets the protection finalizers only while these run (StorageObjectInUseProtection).
      if (system.settings().config().getBoolean("pekkube.controllers.pvc-protection.enabled")) {
        PvcProtectionController.initSingleton(system, client);
      }
      if (system.settings().config().getBoolean("pekkube.controllers.pv-protection.enabled")) {
        PvProtectionController.initSingleton(system, client);
      }
      EventTtlController.initSingleton(system, client, EventTtlSettings.from(system.settings().config()));
      SchedulerSettings scheduler = SchedulerSettings.from(system.settings().config());
      if (scheduler.enabled()) {
        Scheduler.initSingleton(system, client, scheduler);
      }
      KubeletHost kubelets = settings.hasRole(Roles.WORKER) ? startKubelets(system, client, settings) : null;
      if (!controlPlane) {
        return new PekkubeNode(system, null, client, settings, kubelets);
      }
      Readiness readiness = new Readiness(system, store.readJournalPluginId(), membership);
      String address = settings.apiHost() + ":" + settings.apiPort();
      KubeletClient kubeletClient = new KubeletClient(system, client);
      Subresources.Plugs plugs = new Subresources.Plugs(Subresources.Plugs.defaults().scalePatch(), kubeletClient,
          kubeletClient, kubeletClient, Subresources.Plugs.defaults().authorizer());
      // The API listens before start-up is done, so that /readyz can say why it is not ready yet.
      ServerBinding binding = new ApiServer(system, client, types, plugs, address, readiness::isReady, readiness::reason)
          .bind(settings.apiHost(), settings.apiPort()).toCompletableFuture().get(30, TimeUnit.SECONDS);
      // SIGTERM runs Pekko's coordinated shutdown beside close(): the API must stop taking requests, and
      // finish those under way, before sharding hands this node's shards over; a request accepted later
      // found the local shard region already gone (504 in a rolling restart).
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "stop-api-server",
          () -> binding.terminate(API_DRAIN).thenApply(terminated -> Done.getInstance()));
      createInitialNamespaces(client);
      readiness.markStarted();
      writeKubeconfig(settings, binding.localAddress().getPort());
      return new PekkubeNode(system, binding, client, settings, kubelets);
    } catch (Exception e) {
      system.terminate();
      throw e;
    }
  }

  /**
   * The kubelet of this worker's node (or the simulated ones), with the process runtime or, when
   * simulating, the simulated runtime. Containers keep running when the node stops; a restarted
   * kubelet adopts them.
   */
  private static KubeletHost startKubelets(ActorSystem<?> system, ApiClient client, NodeSettings settings)
      throws Exception {
    Config config = system.settings().config();
    KubeletSettings kubelet = KubeletSettings.from(config);
    if (!kubelet.enabled()) {
      return null;
    }
    RuntimeSettings configured = RuntimeSettings.from(config);
    RuntimeSettings runtimeSettings = config.getString("pekkube.node.runtime.root-directory").isEmpty()
        ? new RuntimeSettings(configured.kind(), settings.dataDir().resolve("runtime"), configured.containerLogMaxSize(),
            configured.containerLogMaxFiles(), configured.execOutputLimit(), configured.simulatedStartDelay())
        : configured;
    // Simulated kubelets share one simulated runtime (one timer thread for all their containers).
    ContainerRuntime runtime = kubelet.simulate() > 0 ? new SimulatedRuntime(runtimeSettings)
        : ContainerRuntime.create(runtimeSettings);
    return KubeletHost.start(system, client, kubelet, settings.nodeName(), settings.clusterHost(), settings.dataDir(),
        name -> runtime, ApiServer.KUBERNETES_VERSION);
  }

  /** How long start-up waits for the cluster and the store to take the first writes. */
  private static final Duration STARTUP_WRITES_WAIT = Duration.ofMinutes(5);

  /** Creates the namespaces a new cluster has; existing ones are left alone. */
  private static void createInitialNamespaces(ApiClient client) throws Exception {
    long deadline = System.nanoTime() + STARTUP_WRITES_WAIT.toNanos();
    for (String name : INITIAL_NAMESPACES) {
      ObjectNode ns = Json.object();
      ns.put("apiVersion", "v1");
      ns.put("kind", "Namespace");
      ns.putObject("metadata").put("name", name);
      Exception last = null;
      do {
        if (last != null) {
          TimeUnit.SECONDS.sleep(1); // the cluster or the store is still starting: pace the retries
        }
        try {
          ResourceEntity.WriteResult r = client.create(BuiltinTypes.NAMESPACE, "", ns, false, "system:pekkube")
              .toCompletableFuture().get(60, TimeUnit.SECONDS);
          if (r instanceof ResourceEntity.Rejected rej && rej.error().code() >= 500) {
            last = new IllegalStateException("creating namespace " + name + ": " + rej.error().message());
            LOG.info("waiting for the cluster and the store to create namespace {}: {}", name, rej.error().message());
            continue;
          }
          if (r instanceof ResourceEntity.Rejected rej && rej.error().code() != 409) {
            throw new IllegalStateException("creating namespace " + name + ": " + rej.error().message());
          }
          last = null;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          last = e;
          LOG.info("waiting for the cluster and the store to create namespace {}: {}", name, e.getMessage());
        }
      } while (last != null && System.nanoTime() < deadline);
      if (last != null) {
        throw last;
      }
    }
  }

  public static Path kubeconfigPath(NodeSettings settings) {
    return settings.dataDir().resolve("kubeconfig");
  }

  private static void writeKubeconfig(NodeSettings settings, int port) throws IOException {
    String server = "http://" + settings.apiHost() + ":" + port;
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: pekkube
          cluster:
            server: %s
        contexts:
        - name: pekkube
          context:
            cluster: pekkube
            user: admin
            namespace: default
        current-context: pekkube
        users:
        - name: admin
          user: {}
        """.formatted(server);
    Path file = kubeconfigPath(settings);
    Files.writeString(file, yaml);
  }

  public ApiClient client() {
    return client;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** True when the actor system ended without {@link #close()}: the cluster removed this node. */
  public boolean removedFromCluster() {
    return system.getWhenTerminated().toCompletableFuture().isDone() && !closing;
  }

  public NodeSettings settings() {
    return settings;
  }

  /** The kubelets this node runs; null when it runs none (no worker role, or the kubelet is off). */
  public KubeletHost kubelets() {
    return kubelets;
  }

  /** The port the API listens on; -1 on a worker-only node, which serves no API. */
  public int apiPort() {
    return binding == null ? -1 : binding.localAddress().getPort();
  }

  @Override
  public void close() {
    closing = true;
    if (binding != null) {
      try {
        // Ends open watch streams too, so clients see the connection close rather than hang.
        binding.terminate(API_DRAIN).toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("stopping the API server: {}", e.toString());
      }
    }
    if (kubelets != null) {
      kubelets.close();
    }
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("stopping the actor system: {}", e.toString());
    }
  }
}
