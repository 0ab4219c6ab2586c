package io.pekkube.scenarios;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.pekkube.fixture.ClientCalls;
import io.pekkube.fixture.Fabric8Clients;
import io.pekkube.fixture.ServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A small operator built on the Java Operator SDK 5.x, run in this JVM against a real
 * {@code ./pekkube server}: for every ConfigMap labelled {@value #SELECTOR} it keeps a ConfigMap
 * {@code <name>-derived} (a dependent resource, owned by the primary) whose keys are the primary's
 * upper-cased, and marks the primary with an annotation (ConfigMap has no status) through
 * {@code UpdateControl.patchResource}; deleting a primary deletes its derived ConfigMap (the reconciler's
 * cleanup, behind JOSDK's finalizer). Everything runs with JOSDK's defaults (server-side apply for the
 * primary's patches and finalizer, ConfigMap dependents created and updated with POST/PUT). The
 * operator's client records every call the server refused, so a failure names the endpoint.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorSdkTest {
  static final String SELECTOR = "pekkube.io/upper-case=true";
  static final String NS = "operator";
  static final String MARK = "pekkube.io/derived-into";
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private static ServerProcess server;
  private static KubernetesClient client;
  private static KubernetesClient operatorClient;
  private static Operator operator;
  /** Every call of the operator's client, to name the ones the server refused. */
  private static final ClientCalls calls = new ClientCalls();

  @BeforeAll
  static void startServerAndOperator() throws Exception {
    server = ServerProcess.viaLauncherScript(Fabric8Clients.workDir("operator-sdk").resolve("data"), "embedded");
    client = Fabric8Clients.of(server);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    operatorClient = Fabric8Clients.recorded(Fabric8Clients.config(server), calls);
    operator = new Operator(o -> o.withKubernetesClient(operatorClient).withCloseClientOnStop(true));
    operator.register(new UpperCaseReconciler(), c -> c.settingNamespaces(NS).withLabelSelector(SELECTOR));
    operator.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (operator != null) {
      operator.stop();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void derivedConfigMapsAppearWithUpperCasedKeysAndAnOwnerReference() {
    ConfigMap p1 = client.configMaps().inNamespace(NS).resource(primary("p1", Map.of("host", "db", "port", "5432")))
        .create();
    ConfigMap p2 = client.configMaps().inNamespace(NS).resource(primary("p2", Map.of("mode", "fast"))).create();

    ConfigMap d1 = awaitDerived("p1", Map.of("HOST", "db", "PORT", "5432"));
    ConfigMap d2 = awaitDerived("p2", Map.of("MODE", "fast"));
    assertOwnedBy(p1, d1);
    assertOwnedBy(p2, d2);
  }

  @Test
  @Order(2)
  void configMapsWithoutTheLabelAreIgnored() {
    client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("plain")
        .endMetadata().withData(Map.of("k", "v")).build()).create();
    client.configMaps().inNamespace(NS).resource(primary("p3", Map.of("k", "v"))).create();
    awaitDerived("p3", Map.of("K", "v"));
    assertNull(client.configMaps().inNamespace(NS).withName("plain-derived").get(),
        "a ConfigMap outside the operator's label selector was reconciled");
  }

  @Test
  @Order(3)
  void updatingThePrimaryUpdatesTheDerived() {
    ConfigMap p1 = client.configMaps().inNamespace(NS).withName("p1").get();
    client.resource(new ConfigMapBuilder(p1).withData(Map.of("host", "replica", "user", "app")).build()).update();
    awaitDerived("p1", Map.of("HOST", "replica", "USER", "app"));
  }

  @Test
  @Order(4)
  void theReconcilerMarksThePrimaryThroughAPatch() {
    await().atMost(DEADLINE).untilAsserted(() -> assertEquals("p2-derived",
        client.configMaps().inNamespace(NS).withName("p2").get().getMetadata().getAnnotations().get(MARK),
        "the primary's mark; calls the server refused: " + calls.refused()));
  }

  @Test
  @Order(5)
  void deletingThePrimaryDeletesTheDerived() {
    awaitDerived("p2", Map.of("MODE", "fast"));
    client.configMaps().inNamespace(NS).withName("p2").delete();
    await().atMost(DEADLINE).until(() -> client.configMaps().inNamespace(NS).withName("p2-derived").get() == null
        && client.configMaps().inNamespace(NS).withName("p2").get() == null);
  }

  @Test
  @Order(6)
  void theServerRefusedNoCallOfTheOperator() {
    assertEquals(List.of(), calls.refused(), "calls of the operator that the server refused");
  }

  // ---------------------------------------------------------------------------------------------

  private static ConfigMap primary(String name, Map<String, String> data) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).addToLabels("pekkube.io/upper-case", "true")
        .endMetadata().withData(new TreeMap<>(data)).build();
  }

  private static ConfigMap awaitDerived(String primary, Map<String, String> data) {
    await().atMost(DEADLINE).untilAsserted(() -> {
      ConfigMap d = client.configMaps().inNamespace(NS).withName(primary + "-derived").get();
      assertEquals(data, d == null ? null : d.getData(),
          primary + "-derived; calls the server refused: " + calls.refused());
    });
    return client.configMaps().inNamespace(NS).withName(primary + "-derived").get();
  }

  private static void assertOwnedBy(ConfigMap owner, ConfigMap derived) {
    List<OwnerReference> refs = derived.getMetadata().getOwnerReferences();
    assertEquals(1, refs.size(), "owner references: " + refs);
    OwnerReference ref = refs.get(0);
    assertEquals("v1", ref.getApiVersion());
    assertEquals("ConfigMap", ref.getKind());
    assertEquals(owner.getMetadata().getName(), ref.getName());
    assertEquals(owner.getMetadata().getUid(), ref.getUid());
  }

  /**
   * Keeps the derived ConfigMap through its dependent resource, then marks the primary. Its cleanup
   * deletes the derived ConfigMap itself, so deletion does not depend on a garbage collector (being a
   * {@link Cleaner}, JOSDK puts a finalizer on the primary first).
   */
  @Workflow(dependents = @Dependent(type = DerivedConfigMap.class))
  @ControllerConfiguration(name = "upper-caser")
  public static class UpperCaseReconciler implements Reconciler<ConfigMap>, Cleaner<ConfigMap> {
    @Override
    public DeleteControl cleanup(ConfigMap primary, Context<ConfigMap> context) {
      context.getClient().configMaps().inNamespace(primary.getMetadata().getNamespace())
          .withName(primary.getMetadata().getName() + "-derived").delete();
      return DeleteControl.defaultDelete();
    }

    @Override
    public UpdateControl<ConfigMap> reconcile(ConfigMap primary, Context<ConfigMap> context) {
      String derived = primary.getMetadata().getName() + "-derived";
      if (primary.getMetadata().getAnnotations() != null
          && derived.equals(primary.getMetadata().getAnnotations().get(MARK))) {
        return UpdateControl.noUpdate();
      }
      ConfigMap mark = new ConfigMapBuilder().withNewMetadata().withName(primary.getMetadata().getName())
          .withNamespace(primary.getMetadata().getNamespace()).addToAnnotations(MARK, derived).endMetadata().build();
      return UpdateControl.patchResource(mark);
    }
  }

  /** The derived ConfigMap: the primary's data with upper-cased keys. */
  @KubernetesDependent(informer = @Informer(labelSelector = "app.kubernetes.io/managed-by=upper-caser"))
  public static class DerivedConfigMap extends CRUDKubernetesDependentResource<ConfigMap, ConfigMap> {
    public DerivedConfigMap() {
      super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(ConfigMap primary, Context<ConfigMap> context) {
      Map<String, String> data = new TreeMap<>();
      if (primary.getData() != null) {
        primary.getData().forEach((k, v) -> data.put(k.toUpperCase(java.util.Locale.ROOT), v));
      }
      return new ConfigMapBuilder().withNewMetadata().withName(primary.getMetadata().getName() + "-derived")
          .withNamespace(primary.getMetadata().getNamespace())
          .addToLabels("app.kubernetes.io/managed-by", "upper-caser").endMetadata()
          .withData(data).build();
    }
  }
}
