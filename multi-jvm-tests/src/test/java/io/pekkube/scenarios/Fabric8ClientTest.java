package io.pekkube.scenarios;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pekkube.fixture.ClientCalls;
import io.pekkube.fixture.Fabric8Clients;
import io.pekkube.fixture.ServerProcess;
import io.pekkube.fixture.TcpRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The unmodified fabric8 Kubernetes client (the version the Java Operator SDK pins, over the JDK
 * HTTP client) against a real {@code ./pekkube server --store embedded}, configured from the
 * kubeconfig the server writes. Every assertion is on what the client saw.
 *
 * <p>The server runs with a watch window of {@value #WINDOW} changes so that the tests can push a
 * resourceVersion out of it (410 Gone) with a few hundred writes, and sends watch bookmarks every
 * second.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Fabric8ClientTest {
  private static final int WINDOW = 300;
  private static final Duration BOOKMARK_EVERY = Duration.ofSeconds(1);
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private static ServerProcess server;
  private static KubernetesClient client;
  /** A resourceVersion of ConfigMaps taken before the informer test pushes it out of the window. */
  private static String earlyConfigMapRv;

  @BeforeAll
  static void startServer() throws Exception {
    server = ServerProcess.viaLauncherScript(Fabric8Clients.workDir("fabric8").resolve("data"), "embedded",
        "-Dpekkube.hub.window-size=" + WINDOW + " -Dpekkube.hub.bookmark-every=" + BOOKMARK_EVERY.toMillis() + "ms");
    client = Fabric8Clients.of(server);
    for (String ns : List.of("crud", "selectors", "informer", "resume", "relist", "quiet", "subresources", "leader")) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    earlyConfigMapRv = client.configMaps().inAnyNamespace().list().getMetadata().getResourceVersion();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // CRUD and optimistic concurrency

  @Test
  @Order(0)
  void theServerReportsAKubernetesVersion() {
    var version = client.getKubernetesVersion();
    assertEquals("1", version.getMajor());
    assertTrue(version.getGitVersion().startsWith("v1."), version.getGitVersion());
  }

  @Test
  @Order(1)
  void configMapsCanBeCreatedReadUpdatedAndDeleted() {
    ConfigMap created = client.configMaps().inNamespace("crud").resource(configMap("settings", Map.of("a", "1")))
        .create();
    assertNotNull(created.getMetadata().getUid());
    assertNotNull(created.getMetadata().getResourceVersion());
    assertNotNull(created.getMetadata().getCreationTimestamp());

    ConfigMap read = client.configMaps().inNamespace("crud").withName("settings").get();
    assertEquals(Map.of("a", "1"), read.getData());
    assertEquals(created.getMetadata().getResourceVersion(), read.getMetadata().getResourceVersion());

    read.getData().put("b", "2");
    ConfigMap updated = client.resource(read).update();
    assertEquals(Map.of("a", "1", "b", "2"), updated.getData());
    assertTrue(Long.parseLong(updated.getMetadata().getResourceVersion())
        > Long.parseLong(created.getMetadata().getResourceVersion()), "resourceVersion must grow on update");

    assertEquals(1, client.configMaps().inNamespace("crud").withName("settings").delete().size());
    assertNull(client.configMaps().inNamespace("crud").withName("settings").get());
    assertTrue(client.configMaps().inNamespace("crud").withName("settings").delete().isEmpty(),
        "deleting what is gone reports nothing deleted");
  }

  @Test
  @Order(2)
  void deploymentsCanBeCreatedListedUpdatedAndDeleted() {
    Deployment created = client.apps().deployments().inNamespace("crud").resource(deployment("web", 1)).create();
    assertEquals(1, created.getSpec().getReplicas());
    assertEquals(Long.valueOf(1), created.getMetadata().getGeneration());

    created.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:1.27");
    Deployment updated = client.apps().deployments().inNamespace("crud").resource(created).update();
    assertEquals("nginx:1.27", updated.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    assertEquals(Long.valueOf(2), updated.getMetadata().getGeneration(), "a spec change bumps the generation");

    assertEquals(List.of("web"), names(client.apps().deployments().inNamespace("crud").list().getItems()));
    client.apps().deployments().inNamespace("crud").withName("web").delete();
    assertTrue(client.apps().deployments().inNamespace("crud").list().getItems().isEmpty());
  }

  @Test
  @Order(3)
  void namespacesCanBeCreatedAndDeleted() {
    Namespace created = client.namespaces().resource(new NamespaceBuilder().withNewMetadata()
        .withName("short-lived").addToLabels("purpose", "test").endMetadata().build()).create();
    assertEquals("test", created.getMetadata().getLabels().get("purpose"));
    assertTrue(names(client.namespaces().withLabel("purpose", "test").list().getItems()).contains("short-lived"));

    assertEquals(1, client.namespaces().withName("short-lived").delete().size());
    await().atMost(DEADLINE).until(() -> {
      Namespace ns = client.namespaces().withName("short-lived").get();
      return ns == null || ns.getMetadata().getDeletionTimestamp() != null;
    });
  }

  @Test
  @Order(4)
  void anUpdateWithAStaleResourceVersionIsRejectedWith409() {
    ConfigMap original = client.configMaps().inNamespace("crud").resource(configMap("contended", Map.of("v", "0")))
        .create();
    ConfigMap first = new ConfigMapBuilder(original).withData(Map.of("v", "1")).build();
    client.configMaps().inNamespace("crud").resource(first).update();

    ConfigMap stale = new ConfigMapBuilder(original).withData(Map.of("v", "2")).build();
    KubernetesClientException e = assertThrows(KubernetesClientException.class,
        () -> client.configMaps().inNamespace("crud").resource(stale).update());
    assertEquals(409, e.getCode(), e.getMessage());
    assertEquals("1", client.configMaps().inNamespace("crud").withName("contended").get().getData().get("v"),
        "the rejected update changed nothing");
  }

  @Test
  @Order(5)
  void listsAreFilteredByLabelSelectors() {
    String[][] rows = {{"a1", "a", "x"}, {"a2", "a", "y"}, {"b1", "b", "x"}, {"b2", "b", "y"}, {"c1", "c", null}};
    for (String[] row : rows) {
      ConfigMap cm = configMap(row[0], Map.of());
      cm.getMetadata().setLabels(new HashMap<>(Map.of("tier", row[1])));
      if (row[2] != null) {
        cm.getMetadata().getLabels().put("env", row[2]);
      }
      client.configMaps().inNamespace("selectors").resource(cm).create();
    }
    var cms = client.configMaps().inNamespace("selectors");
    assertEquals(List.of("a1", "a2"), names(cms.withLabel("tier", "a").list().getItems()));
    assertEquals(List.of("a1", "a2", "b1", "b2"), names(cms.withLabel("env").list().getItems()));
    assertEquals(List.of("a1", "a2", "b1", "b2"), names(cms.withLabelIn("tier", "a", "b").list().getItems()));
    assertEquals(List.of("c1"), names(cms.withoutLabel("env").list().getItems()));
    assertEquals(List.of("a2", "b2", "c1"), names(cms.withoutLabel("env", "x").list().getItems()));
    assertEquals(List.of("b1"), names(cms.withLabel("tier", "b").withLabel("env", "x").list().getItems()));
    assertEquals(List.of("a2", "c1"), names(cms.withLabelSelector(new LabelSelectorBuilder()
        .addNewMatchExpression().withKey("tier").withOperator("NotIn").withValues("b").endMatchExpression()
        .addNewMatchExpression().withKey("env").withOperator("NotIn").withValues("x").endMatchExpression()
        .build()).list().getItems()));
  }

  @Test
  @Order(6)
  void createOrUpdateCreatesThenReplaces() {
    var cms = client.configMaps().inNamespace("crud");
    ConfigMap first = cms.resource(configMap("upserted", Map.of("v", "1"))).createOr(NonDeletingOperation::update);
    ConfigMap second = cms.resource(configMap("upserted", Map.of("v", "2"))).createOr(NonDeletingOperation::update);
    assertEquals(first.getMetadata().getUid(), second.getMetadata().getUid(), "the second call updated, not recreated");
    assertEquals("2", cms.withName("upserted").get().getData().get("v"));
  }

  @Test
  @Order(7)
  void listsArePagedWithLimitAndContinue() {
    var cms = client.configMaps().inNamespace("selectors");
    List<String> all = names(cms.list().getItems());
    List<String> paged = new ArrayList<>();
    String cont = null;
    int pages = 0;
    do {
      var page = cms.list(new ListOptionsBuilder().withLimit(2L).withContinue(cont).build());
      assertTrue(page.getItems().size() <= 2);
      page.getItems().forEach(cm -> paged.add(cm.getMetadata().getName()));
      cont = page.getMetadata().getContinue();
      pages++;
    } while (cont != null && !cont.isEmpty());
    assertEquals(all, paged);
    assertEquals((all.size() + 1) / 2, pages);
  }

  @Test
  @Order(8)
  void fieldSelectorsAndWaitUntilConditionWatchOneObject() throws Exception {
    var cms = client.configMaps().inNamespace("crud");
    assertEquals(List.of("contended"), names(cms.withField("metadata.name", "contended").list().getItems()));
    CompletableFuture<ConfigMap> ready = CompletableFuture.supplyAsync(() -> cms.withName("awaited")
        .waitUntilCondition(cm -> cm != null && "yes".equals(cm.getData().get("ready")), 30, TimeUnit.SECONDS));
    ConfigMap created = cms.resource(configMap("awaited", Map.of("ready", "no"))).create();
    cms.resource(new ConfigMapBuilder(created).withData(Map.of("ready", "yes")).build()).update();
    assertEquals("yes", ready.get(30, TimeUnit.SECONDS).getData().get("ready"));
  }

  @Test
  @Order(9)
  void aCollectionCanBeDeletedBySelectorAndReadAsGenericResources() {
    var cms = client.configMaps().inNamespace("selectors");
    assertEquals(names(cms.withLabel("tier", "a").list().getItems()), names(client
        .genericKubernetesResources("v1", "ConfigMap").inNamespace("selectors").withLabel("tier", "a").list()
        .getItems()));
    cms.withLabel("tier", "c").delete();
    await().atMost(DEADLINE).until(() -> cms.withLabel("tier", "c").list().getItems().isEmpty());
    assertEquals(List.of("a1", "a2", "b1", "b2"), names(cms.list().getItems()));
  }

  // ---------------------------------------------------------------------------------------------
  // Informers and watches

  @Test
  @Order(10)
  void anInformerStaysInSyncThroughAThousandConcurrentChanges() throws Exception {
    EventCounts seen = new EventCounts();
    SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("informer").inform(seen.handler(), 0);
    try {
      int writers = 4;
      int changesPerWriter = 250;
      long start = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      List<Future<EventCounts>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(pool.submit(() -> writeChanges("informer", "w" + writer, changesPerWriter, 20)));
      }
      EventCounts made = new EventCounts();
      for (Future<EventCounts> f : done) {
        made.add(f.get(2, TimeUnit.MINUTES));
      }
      pool.shutdown();
      long written = System.nanoTime();
      assertEquals(writers * changesPerWriter, made.total());

      await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50))
          .until(() -> storeMatchesList(informer, "informer") && seen.equals(made));
      long synced = System.nanoTime();
      assertEquals(listed("informer"), stored(informer), "the informer's store is the final LIST");
      assertEquals(made, seen, "every change reached the informer's handler exactly once");
      System.out.printf("[fabric8] informer: %d changes (%s) by %d writers in %d ms; in sync %d ms after the"
              + " last write; %d ms in all%n", made.total(), made, writers, ms(written - start), ms(synced - written),
          ms(synced - start));
    } finally {
      informer.close();
    }
  }

  @Test
  @Order(11)
  void aWatchResumedFromAResourceVersionGetsExactlyTheLaterChanges() throws Exception {
    var cms = client.configMaps().inNamespace("resume");
    ConfigMap a = cms.resource(configMap("a", Map.of("n", "0"))).create();
    String from = a.getMetadata().getResourceVersion();
    cms.resource(configMap("b", Map.of())).create();
    cms.resource(new ConfigMapBuilder(a).withData(Map.of("n", "1")).build()).update();
    cms.withName("b").delete();

    Recorder recorder = new Recorder();
    try (Watch ignored = cms.watch(new ListOptionsBuilder().withResourceVersion(from).build(), recorder)) {
      List<String> events = recorder.take(3);
      assertEquals(List.of("ADDED b", "MODIFIED a", "DELETED b"), events.stream()
          .map(e -> e.substring(0, e.lastIndexOf(' '))).toList());
      List<Long> rvs = events.stream().map(e -> Long.parseLong(e.substring(e.lastIndexOf(' ') + 1))).toList();
      assertTrue(rvs.get(0) > Long.parseLong(from) && rvs.get(0) < rvs.get(1) && rvs.get(1) < rvs.get(2),
          "resumed events come in increasing resourceVersion order after " + from + ": " + rvs);
    }
  }

  @Test
  @Order(12)
  void aWatchFromAResourceVersionOutsideTheWindowClosesWith410() throws Exception {
    Recorder recorder = new Recorder();
    try (Watch ignored = client.configMaps().inAnyNamespace()
        .watch(new ListOptionsBuilder().withResourceVersion(earlyConfigMapRv).build(), recorder)) {
      WatcherException closed = recorder.closed.get(30, TimeUnit.SECONDS);
      assertTrue(closed.isHttpGone(), "expected 410 Gone, got " + closed);
      assertTrue(recorder.events.isEmpty(), "no event before the 410: " + recorder.events);
    }
  }

  @Test
  @Order(13)
  void anInformerCutOffLongerThanTheWindowRelistsAndConverges() throws Exception {
    var cms = client.configMaps().inNamespace("relist");
    for (int i = 0; i < 10; i++) {
      cms.resource(configMap("keep-" + i, Map.of("n", "0"))).create();
    }
    ClientCalls calls = new ClientCalls();
    try (TcpRelay relay = new TcpRelay(server.apiPort());
         KubernetesClient cutOff = Fabric8Clients.recorded(Fabric8Clients.quickReconnect(server, relay.url()), calls)) {
      EventCounts seen = new EventCounts();
      SharedIndexInformer<ConfigMap> informer = cutOff.configMaps().inNamespace("relist").inform(seen.handler(), 0);
      try {
        // Handlers are notified after the store is filled: wait for the notifications too.
        await().atMost(DEADLINE).until(() -> seen.adds.get() == 10);
        String lastSeen = informer.lastSyncResourceVersion();
        relay.sever();
        for (int i = 0; i < 5; i++) {
          cms.withName("keep-" + i).delete();
          cms.resource(configMap("new-" + i, Map.of("n", "0"))).create();
        }
        for (int i = 0; i < WINDOW + 50; i++) {
          ConfigMap cm = cms.withName("keep-" + (5 + i % 5)).get();
          cms.resource(new ConfigMapBuilder(cm).withData(Map.of("n", Integer.toString(i))).build()).update();
        }
        // The informer's last resourceVersion has left the window: only a relist can bring it back.
        Recorder direct = new Recorder();
        try (Watch ignored = cms.watch(new ListOptionsBuilder().withResourceVersion(lastSeen).build(), direct)) {
          assertTrue(direct.closed.get(30, TimeUnit.SECONDS).isHttpGone());
        }
        long restored = System.nanoTime();
        relay.restore();
        int callsBefore = calls.all().size();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> assertEquals(
            listed("relist"), stored(informer),
            () -> "informer calls after the cut healed: " + calls.all().subList(callsBefore, calls.all().size())));
        System.out.printf("[fabric8] informer relisted after 410 and converged %d ms after the cut healed%n",
            ms(System.nanoTime() - restored));
        assertEquals(listed("relist"), stored(informer));
        // The informer fills its store before it notifies the handlers: wait for the notifications.
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
          assertTrue(seen.deletes.get() >= 5, "the relist reported the deletions: " + seen);
          assertTrue(seen.adds.get() >= 15, "the relist reported the additions: " + seen);
        });
      } finally {
        informer.close();
      }
    }
  }

  @Test
  @Order(14)
  void bookmarksKeepAnIdleInformersResourceVersionInsideTheWindow() throws Exception {
    SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("quiet").inform(new EventCounts().handler(),
        0);
    try {
      String before = informer.lastSyncResourceVersion();
      String last = "";
      for (int i = 0; i < WINDOW + 50; i++) {
        last = client.configMaps().inNamespace("crud").resource(configMap("busy-" + i, Map.of())).create()
            .getMetadata().getResourceVersion();
      }
      long lastWrite = Long.parseLong(last);
      await().atMost(BOOKMARK_EVERY.multipliedBy(10)).pollInterval(Duration.ofMillis(50))
          .until(() -> Long.parseLong(informer.lastSyncResourceVersion()) >= lastWrite);
      Recorder fromBookmark = new Recorder();
      Recorder fromStart = new Recorder();
      var quiet = client.configMaps().inNamespace("quiet");
      try (Watch a = quiet.watch(new ListOptionsBuilder().withResourceVersion(informer.lastSyncResourceVersion()).build(),
               fromBookmark);
           Watch b = quiet.watch(new ListOptionsBuilder().withResourceVersion(before).build(), fromStart)) {
        assertTrue(fromStart.closed.get(30, TimeUnit.SECONDS).isHttpGone(), "the informer's first revision has left the window");
        quiet.resource(configMap("after", Map.of())).create();
        assertEquals("ADDED after", fromBookmark.take(1).get(0).replaceAll(" \\d+$", ""),
            "a watch resumed from the bookmarked revision still works");
      }
    } finally {
      informer.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Server-side apply and subresources

  @Test
  @Order(20)
  void serverSideApplyCreatesThenUpdatesAndRecordsTheManager() {
    var cms = client.configMaps().inNamespace("subresources");
    ConfigMap first = cms.resource(configMap("applied", Map.of("a", "1"))).serverSideApply();
    assertEquals(Map.of("a", "1"), first.getData());
    ConfigMap second = cms.resource(configMap("applied", Map.of("a", "1", "b", "2"))).serverSideApply();
    assertEquals(Map.of("a", "1", "b", "2"), second.getData());
    assertTrue(second.getMetadata().getManagedFields().stream()
            .anyMatch(f -> "fabric8".equals(f.getManager()) && "Apply".equals(f.getOperation())),
        "managedFields name the applier: " + second.getMetadata().getManagedFields());
  }

  @Test
  @Order(21)
  void scaleSubresourceChangesTheReplicas() {
    var deployments = client.apps().deployments().inNamespace("subresources");
    deployments.resource(deployment("scaled", 1)).create();
    deployments.withName("scaled").scale(3);
    assertEquals(3, deployments.withName("scaled").get().getSpec().getReplicas());
    assertEquals(3, deployments.withName("scaled").scale().getSpec().getReplicas());
  }

  @Test
  @Order(22)
  void updateStatusWritesOnlyTheStatus() {
    var deployments = client.apps().deployments().inNamespace("subresources");
    Deployment created = deployments.resource(deployment("reported", 2)).create();
    Deployment withStatus = new DeploymentBuilder(created)
        .withStatus(new DeploymentStatusBuilder().withReplicas(2).withReadyReplicas(1).withObservedGeneration(1L)
            .build())
        .editSpec().withReplicas(5).endSpec()
        .build();
    Deployment written = deployments.resource(withStatus).updateStatus();
    assertEquals(1, written.getStatus().getReadyReplicas());
    Deployment read = deployments.withName("reported").get();
    assertEquals(1, read.getStatus().getReadyReplicas());
    assertEquals(2, read.getSpec().getReplicas(), "a status write leaves the spec alone");
  }

  @Test
  @Order(23)
  void editStatusPatchesTheStatus() {
    var deployments = client.apps().deployments().inNamespace("subresources");
    deployments.resource(deployment("patched", 1)).create();
    deployments.withName("patched").editStatus(d -> new DeploymentBuilder(d)
        .withStatus(new DeploymentStatusBuilder().withReplicas(1).withAvailableReplicas(1).build()).build());
    assertEquals(1, deployments.withName("patched").get().getStatus().getAvailableReplicas());
  }

  // ---------------------------------------------------------------------------------------------
  // Leader election on a Lease

  @Test
  @Order(30)
  void leaseLeaderElectionHasOneLeaderAndFailsOver() throws Exception {
    Duration leaseDuration = Duration.ofSeconds(4);
    Duration renewDeadline = Duration.ofSeconds(3);
    Duration retryPeriod = Duration.ofMillis(500);
    Set<String> leading = ConcurrentHashMap.newKeySet();
    AtomicInteger mostLeadersAtOnce = new AtomicInteger();
    Map<String, Long> startedLeadingAt = new ConcurrentHashMap<>();
    Map<String, CompletableFuture<?>> electors = new TreeMap<>();
    Map<String, KubernetesClient> clients = new TreeMap<>();
    try {
      for (String id : List.of("alpha", "beta")) {
        KubernetesClient own = Fabric8Clients.of(server);
        clients.put(id, own);
        electors.put(id, own.leaderElector().withConfig(new LeaderElectionConfigBuilder()
            .withName("pekkube-test").withLock(new LeaseLock("leader", "the-lock", id))
            .withLeaseDuration(leaseDuration).withRenewDeadline(renewDeadline).withRetryPeriod(retryPeriod)
            .withLeaderCallbacks(new LeaderCallbacks(
                () -> {
                  leading.add(id);
                  mostLeadersAtOnce.accumulateAndGet(leading.size(), Math::max);
                  startedLeadingAt.put(id, System.nanoTime());
                },
                () -> leading.remove(id),
                newLeader -> { }))
            .build()).build().start());
      }
      await().atMost(DEADLINE).until(() -> leading.size() == 1);
      String leader = leading.iterator().next();
      String follower = leader.equals("alpha") ? "beta" : "alpha";
      Lease lease = client.leases().inNamespace("leader").withName("the-lock").get();
      assertEquals(leader, lease.getSpec().getHolderIdentity());

      // Several renewals go by with the follower still following.
      String renewedAt = lease.getSpec().getRenewTime().toString();
      await().atMost(DEADLINE).until(() -> !renewedAt.equals(
          client.leases().inNamespace("leader").withName("the-lock").get().getSpec().getRenewTime().toString()));
      await().atMost(DEADLINE).until(() -> !renewedAt.equals(
          client.leases().inNamespace("leader").withName("the-lock").get().getSpec().getRenewTime().toString()));
      assertEquals(Set.of(leader), leading);
      assertEquals(1, mostLeadersAtOnce.get(), "never two leaders at once");

      long stopped = System.nanoTime();
      electors.get(leader).cancel(true);
      clients.get(leader).close();
      await().atMost(leaseDuration.plus(renewDeadline).plusSeconds(5)).until(() -> leading.contains(follower));
      double failoverSeconds = (startedLeadingAt.get(follower) - stopped) / 1e9;
      System.out.printf("[fabric8] lease failover from %s to %s in %.2f s (lease %d s, retry %d ms)%n", leader,
          follower, failoverSeconds, leaseDuration.toSeconds(), retryPeriod.toMillis());
      assertTrue(failoverSeconds <= leaseDuration.plus(renewDeadline).toSeconds(), "failover took " + failoverSeconds);
      Lease taken = client.leases().inNamespace("leader").withName("the-lock").get();
      assertEquals(follower, taken.getSpec().getHolderIdentity());
      assertEquals(1, mostLeadersAtOnce.get(), "never two leaders at once");
      assertNotEquals(lease.getSpec().getLeaseTransitions(), taken.getSpec().getLeaseTransitions());
    } finally {
      electors.values().forEach(f -> f.cancel(true));
      clients.values().forEach(KubernetesClient::close);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Last: a restart of the server

  @Test
  @Order(40)
  void anInformerResumesItsWatchAcrossAServerRestartWithoutRelisting() throws Exception {
    var cms = client.configMaps().inNamespace("restart");
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("restart").endMetadata().build())
        .create();
    for (int i = 0; i < 5; i++) {
      cms.resource(configMap("before-" + i, Map.of())).create();
    }
    ClientCalls calls = new ClientCalls();
    try (KubernetesClient own = Fabric8Clients.recorded(Fabric8Clients.quickReconnect(server, server.url()), calls)) {
      EventCounts seen = new EventCounts();
      SharedIndexInformer<ConfigMap> informer = own.configMaps().inNamespace("restart").inform(seen.handler(), 0);
      try {
        ConfigMap changed = cms.withName("before-0").get();
        cms.resource(new ConfigMapBuilder(changed).withData(Map.of("k", "v")).build()).update();
        await().atMost(DEADLINE).until(() -> seen.updates.get() == 1);

        long stopped = System.nanoTime();
        server.kill9();
        server.restart();
        cms.resource(configMap("after", Map.of())).create();
        cms.withName("before-1").delete();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50))
            .until(() -> storeMatchesList(informer, "restart") && seen.deletes.get() == 1 && seen.adds.get() == 6);
        System.out.printf("[fabric8] informer in sync %d ms after kill -9 (restart included)%n",
            ms(System.nanoTime() - stopped));
        assertEquals("6 added, 1 updated, 1 deleted", seen.toString(), "every change exactly once");
        List<String> lists = calls.all().stream()
            .filter(c -> c.startsWith("GET /api/v1/namespaces/restart/configmaps") && !c.contains("watch=true"))
            .toList();
        assertEquals(1, lists.size(), "the informer resumed its watch instead of listing again: " + lists);
      } finally {
        informer.close();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Creates, updates and deletes ConfigMaps of its own (so it never conflicts), counting what it did. */
  private static EventCounts writeChanges(String ns, String prefix, int changes, int names) {
    var cms = client.configMaps().inNamespace(ns);
    Map<String, ConfigMap> current = new HashMap<>();
    EventCounts made = new EventCounts();
    for (int i = 0; i < changes; i++) {
      String name = prefix + "-" + (i % names);
      ConfigMap existing = current.get(name);
      if (existing == null) {
        current.put(name, cms.resource(configMap(name, Map.of("n", Integer.toString(i)))).create());
        made.adds.incrementAndGet();
      } else if (i % 7 == 0) {
        cms.withName(name).delete();
        current.remove(name);
        made.deletes.incrementAndGet();
      } else {
        current.put(name, cms.resource(new ConfigMapBuilder(existing).withData(Map.of("n", Integer.toString(i)))
            .build()).update());
        made.updates.incrementAndGet();
      }
    }
    return made;
  }

  private static boolean storeMatchesList(SharedIndexInformer<ConfigMap> informer, String ns) {
    return stored(informer).equals(listed(ns));
  }

  private static Map<String, String> stored(SharedIndexInformer<ConfigMap> informer) {
    return versions(informer.getStore().list());
  }

  private static Map<String, String> listed(String ns) {
    return versions(client.configMaps().inNamespace(ns).list().getItems());
  }

  private static Map<String, String> versions(List<? extends HasMetadata> items) {
    return items.stream().collect(Collectors.toMap(o -> o.getMetadata().getName(),
        o -> o.getMetadata().getResourceVersion(), (a, b) -> a, TreeMap::new));
  }

  private static List<String> names(List<? extends HasMetadata> items) {
    return new ArrayList<>(new TreeSet<>(items.stream().map(o -> o.getMetadata().getName()).toList()));
  }

  private static ConfigMap configMap(String name, Map<String, String> data) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().withData(new HashMap<>(data)).build();
  }

  private static Deployment deployment(String name, int replicas) {
    return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("main").withImage("nginx:1.25").endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** Add/update/delete counts: made by writers, or seen by an informer's handler. */
  static final class EventCounts {
    final AtomicInteger adds = new AtomicInteger();
    final AtomicInteger updates = new AtomicInteger();
    final AtomicInteger deletes = new AtomicInteger();

    ResourceEventHandler<ConfigMap> handler() {
      return new ResourceEventHandler<>() {
        @Override
        public void onAdd(ConfigMap obj) {
          adds.incrementAndGet();
        }

        @Override
        public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
          updates.incrementAndGet();
        }

        @Override
        public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
          deletes.incrementAndGet();
        }
      };
    }

    void add(EventCounts other) {
      adds.addAndGet(other.adds.get());
      updates.addAndGet(other.updates.get());
      deletes.addAndGet(other.deletes.get());
    }

    int total() {
      return adds.get() + updates.get() + deletes.get();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof EventCounts e && e.toString().equals(toString());
    }

    @Override
    public int hashCode() {
      return toString().hashCode();
    }

    @Override
    public String toString() {
      return adds.get() + " added, " + updates.get() + " updated, " + deletes.get() + " deleted";
    }
  }

  /** A watcher that keeps what it received as "TYPE name resourceVersion", and how it closed. */
  static final class Recorder implements Watcher<ConfigMap> {
    final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    final CompletableFuture<WatcherException> closed = new CompletableFuture<>();

    @Override
    public void eventReceived(Action action, ConfigMap cm) {
      events.add(action + " " + cm.getMetadata().getName() + " " + cm.getMetadata().getResourceVersion());
    }

    @Override
    public void onClose(WatcherException cause) {
      closed.complete(cause);
    }

    List<String> take(int n) throws InterruptedException {
      List<String> taken = new ArrayList<>();
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (taken.size() < n && System.nanoTime() < deadline) {
        String e = events.poll(100, TimeUnit.MILLISECONDS);
        if (e != null) {
          taken.add(e);
        }
      }
      assertEquals(n, taken.size(), "events received: " + taken);
      AtomicReference<String> extra = new AtomicReference<>(events.peek());
      assertNull(extra.get(), "no event beyond the expected ones");
      return taken;
    }
  }
}
