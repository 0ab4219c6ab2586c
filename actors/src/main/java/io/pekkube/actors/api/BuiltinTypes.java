package io.pekkube.actors.api;

import static io.pekkube.actors.api.ResourceType.ALL_VERBS;

import io.pekkube.actors.api.ResourceType.NameRule;
import java.util.List;
import java.util.Set;

/**
 * The built-in resource types, with the facts Kubernetes serves for them.
 *
 * <p>Sources: the Kubernetes discovery fixtures ({@code api/discovery/api__v1.json},
 * {@code apis__<group>__<version>.json}) for plural, singular, scope, short names, categories,
 * verbs and subresources; the per-group {@code pkg/apis/<group>/validation} packages for name
 * rules. Where a type's own validation passes no name function, the generic
 * {@code rest.BeforeCreate} check applies, which is the path-segment rule (core/v1 Event,
 * PodDisruptionBudget).
 *
 * <p>Name rules not expressible as a {@link NameRule} (callers that validate names must add them):
 *
 * <ul>
 *   <li>CronJob: additionally at most 52 characters (so "-&lt;timestamp&gt;" fits a label).
 *   <li>CustomResourceDefinition: additionally must equal {@code spec.names.plural + "." +
 *       spec.group}.
 * </ul>
 *
 * <p>Subresources served by Kubernetes but gated or very recent are left out: pods/resize
 * (InPlacePodVerticalScaling) and pods/checkpoint.
 */
public final class BuiltinTypes {

  private BuiltinTypes() {}

  public static final String CORE = "";
  public static final String APPS = "apps";
  public static final String BATCH = "batch";
  public static final String COORDINATION = "coordination.k8s.io";
  public static final String DISCOVERY = "discovery.k8s.io";
  public static final String NETWORKING = "networking.k8s.io";
  public static final String STORAGE = "storage.k8s.io";
  public static final String RBAC = "rbac.authorization.k8s.io";
  public static final String EVENTS = "events.k8s.io";
  public static final String AUTOSCALING = "autoscaling";
  public static final String POLICY = "policy";
  public static final String APIEXTENSIONS = "apiextensions.k8s.io";

  /** Namespace has no deletecollection (the namespace controller owns deletion). */
  public static final List<String> NAMESPACE_VERBS =
      List.of("create", "delete", "get", "list", "patch", "update", "watch");

  private static final List<String> ALL = List.of("all");
  private static final List<String> NONE = List.of();

  // ---- core/v1 ----
  public static final ResourceType NAMESPACE =
      type(CORE, "v1", "Namespace", "namespaces", "namespace", false, List.of("ns"), NONE,
          NAMESPACE_VERBS, Set.of("status", "finalize"), NameRule.DNS1123_LABEL, true);
  public static final ResourceType CONFIG_MAP =
      type(CORE, "v1", "ConfigMap", "configmaps", "configmap", true, List.of("cm"), NONE,
          ALL_VERBS, Set.of(), NameRule.DNS1123_SUBDOMAIN, false);
  public static final ResourceType SECRET =
      type(CORE, "v1", "Secret", "secrets", "secret", true, NONE, NONE,
          ALL_VERBS, Set.of(), NameRule.DNS1123_SUBDOMAIN, false);
  public static final ResourceType POD =
      type(CORE, "v1", "Pod", "pods", "pod", true, List.of("po"), ALL, ALL_VERBS,
          Set.of("status", "log", "binding", "eviction", "exec", "attach", "portforward", "proxy",
              "ephemeralcontainers"),
          NameRule.DNS1123_SUBDOMAIN, true);
  public static final ResourceType SERVICE =
      type(CORE, "v1", "Service", "services", "service", true, List.of("svc"), ALL, ALL_VERBS,
          Set.of("status", "proxy"), NameRule.DNS1035_LABEL, true);
  /** Singular is "endpoints", as Kubernetes serves it. */
  public static final ResourceType ENDPOINTS =
      type(CORE, "v1", "Endpoints", "endpoints", "endpoints", true, List.of("ep"), NONE,
          ALL_VERBS, Set.of(), NameRule.DNS1123_SUBDOMAIN, false);
  /**
   * core/v1 Events get only legacy validation, which checks no name format; the generic
   * path-segment check is all that applies (events.k8s.io/v1 is stricter).
   */
  public static final ResourceType EVENT =
      type(CORE, "v1", "Event", "events", "event", true, List.of("ev"), NONE,
          ALL_VERBS, Set.of(), NameRule.PATH_SEGMENT, false);
  public static final ResourceType SERVICE_ACCOUNT =
      type(CORE, "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", true,
          List.of("sa"), NONE, ALL_VERBS, Set.of("token"), NameRule.DNS1123_SUBDOMAIN, false);
  public static final ResourceType NODE =
      type(CORE, "v1", "Node", "nodes", "node", false, List.of("no"), NONE, ALL_VERBS,
          Set.of("status", "proxy"), NameRule.DNS1123_SUBDOMAIN, true);
  public static final ResourceType PERSISTENT_VOLUME =
      type(CORE, "v1", "PersistentVolume", "persistentvolumes", "persistentvolume", false,
          List.of("pv"), NONE, ALL_VERBS, Set.of("status"), NameRule.DNS1123_SUBDOMAIN, true);
  public static final ResourceType PERSISTENT_VOLUME_CLAIM =
      type(CORE, "v1", "PersistentVolumeClaim", "persistentvolumeclaims",
          "persistentvolumeclaim", true, List.of("pvc"), NONE, ALL_VERBS, Set.of("status"),
          NameRule.DNS1123_SUBDOMAIN, true);
  public static final ResourceType LIMIT_RANGE =
      type(CORE, "v1", "LimitRange", "limitranges", "limitrange", true, List.of("limits"), NONE,
          ALL_VERBS, Set.of(), NameRule.DNS1123_SUBDOMAIN, false);
  /** The predecessor of ReplicaSets; still served and still in the "all" category. */
  public static final ResourceType REPLICATION_CONTROLLER =
      type(CORE, "v1", "ReplicationController", "replicationcontrollers", "replicationcontroller",
          true, List.of("rc"), ALL, ALL_VERBS, Set.of("status", "scale"),
          NameRule.DNS1123_SUBDOMAIN, true);
  public static final ResourceType RESOURCE_QUOTA =
      type(CORE, "v1", "ResourceQuota", "resourcequotas", "resourcequota", true,
          List.of("quota"), NONE, ALL_VERBS, Set.of("status"), NameRule.DNS1123_SUBDOMAIN, true);

  // ---- apps/v1 ----
  public static final ResourceType DEPLOYMENT =
      type(APPS, "v1", "Deployment", "deployments", "deployment", true, List.of("deploy"), ALL,
          ALL_VERBS, Set.of("status", "scale"), NameRule.DNS1123_SUBDOMAIN, true);
  public static final ResourceType REPLICA_SET =
      type(APPS, "v1", "ReplicaSet", "replicasets", "replicaset", true, List.of("rs"), ALL,
          ALL_VERBS, Set.of("status", "scale"), NameRule.DNS1123_SUBDOMAIN, true);
  /** StatefulSet names are DNS-1123 labels (ValidateStatefulSetName): they prefix pod names. */
  public static final ResourceType STATEFUL_SET =
      type(APPS, "v1", "StatefulSet", "statefulsets", "statefulset", true, List.of("sts"), ALL,
          ALL_VERBS, Set.of("status", "scale"), NameRule.DNS1123_LABEL, true);
  public static final ResourceType DAEMON_SET =
      type(APPS, "v1", "DaemonSet", "daemonsets", "daemonset", true, List.of("ds"), ALL,
          ALL_VERBS, Set.of("status"), NameRule.DNS1123_SUBDOMAIN, true);
  public static final ResourceType CONTROLLER_REVISION =
      type(APPS, "v1", "ControllerRevision", "controllerrevisions", "controllerrevision", true,
          NONE, NONE, ALL_VERBS, Set.of(), NameRule.DNS1123_SUBDOMAIN, false);

  // ---- batch/v1 ----
  public static final ResourceType JOB =
      type(BATCH, "v1", "Job", "jobs", "job", true, NONE, ALL, ALL_VERBS, Set.of("status"),
          NameRule.DNS1123_SUBDOMAIN, true);
  /** Also at most 52 characters (ValidateCronJobCreate); not expressed by the NameRule. */
  public static final ResourceType CRON_JOB =
      type(BATCH, "v1", "CronJob", "cronjobs", "cronjob", true, List.of("cj"), ALL, ALL_VERBS,
          Set.of("status"), NameRule.DNS1123_SUBDOMAIN, true);

  // ---- coordination.k8s.io/v1 ----
  public static final ResourceType LEASE =
      type(COORDINATION, "v1", "Lease", "leases", "lease", true, NONE, NONE, ALL_VERBS,
          Set.of(), NameRule.DNS1123_SUBDOMAIN, false);

  // ---- discovery.k8s.io/v1 ----
  public static final ResourceType ENDPOINT_SLICE =
      type(DISCOVERY, "v1", "EndpointSlice", "endpointslices", "endpointslice", true, NONE, NONE,
          ALL_VERBS, Set.of(), NameRule.DNS1123_SUBDOMAIN, false);

  // ---- networking.k8s.io/v1 ----
  public static final ResourceType INGRESS =
      type(NETWORKING, "v1", "Ingress", "ingresses", "ingress", true, List.of("ing"), NONE,
          ALL_VERBS, Set.of("status"), NameRule.DNS1123_SUBDOMAIN, true);
  public static final ResourceType INGRESS_CLASS =
      type(NETWORKING, "v1", "IngressClass", "ingressclasses", "ingressclass", false, NONE, NONE,
          ALL_VERBS, Set.of(), NameRule.DNS1123_SUBDOMAIN, false);
  public static final ResourceType NETWORK_POLICY =
      type(NETWORKING, "v1", "NetworkPolicy", "networkpolicies", "networkpolicy", true,
          List.of("netpol"), NONE, ALL_VERBS, Set.of(), NameRule.DNS1123_SUBDOMAIN, false);

  // ---- storage.k8s.io/v1 ----
  public static final ResourceType STORAGE_CLASS =
      type(STORAGE, "v1", "StorageClass", "storageclasses", "storageclass", false, List.of("sc"),
          NONE, ALL_VERBS, Set.of(), NameRule.DNS1123_SUBDOMAIN, false);

  // ---- rbac.authorization.k8s.io/v1 ----
  public static final ResourceType ROLE =
      type(RBAC, "v1", "Role", "roles", "role", true, NONE, NONE, ALL_VERBS, Set.of(),
          NameRule.PATH_SEGMENT, false);
  public static final ResourceType CLUSTER_ROLE =
      type(RBAC, "v1", "ClusterRole", "clusterroles", "clusterrole", false, NONE, NONE,
          ALL_VERBS, Set.of(), NameRule.PATH_SEGMENT, false);
  public static final ResourceType ROLE_BINDING =
      type(RBAC, "v1", "RoleBinding", "rolebindings", "rolebinding", true, NONE, NONE,
          ALL_VERBS, Set.of(), NameRule.PATH_SEGMENT, false);
  public static final ResourceType CLUSTER_ROLE_BINDING =
      type(RBAC, "v1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", false,
          NONE, NONE, ALL_VERBS, Set.of(), NameRule.PATH_SEGMENT, false);

  // ---- events.k8s.io/v1 ----
  /** Same objects as core/v1 events; created through this group the name must be a subdomain. */
  public static final ResourceType EVENTS_EVENT =
      type(EVENTS, "v1", "Event", "events", "event", true, List.of("ev"), NONE, ALL_VERBS,
          Set.of(), NameRule.DNS1123_SUBDOMAIN, false);

  // ---- autoscaling/v2 ----
  public static final ResourceType HORIZONTAL_POD_AUTOSCALER =
      type(AUTOSCALING, "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
          "horizontalpodautoscaler", true, List.of("hpa"), ALL, ALL_VERBS, Set.of("status"),
          NameRule.DNS1123_SUBDOMAIN, true);

  // ---- policy/v1 ----
  /** ValidatePodDisruptionBudget checks no name format; only the generic path-segment rule. */
  public static final ResourceType POD_DISRUPTION_BUDGET =
      type(POLICY, "v1", "PodDisruptionBudget", "poddisruptionbudgets", "poddisruptionbudget",
          true, List.of("pdb"), NONE, ALL_VERBS, Set.of("status"), NameRule.PATH_SEGMENT, true);

  // ---- apiextensions.k8s.io/v1 ----
  /** Name must also equal plural + "." + group; not expressed by the NameRule. */
  public static final ResourceType CUSTOM_RESOURCE_DEFINITION =
      type(APIEXTENSIONS, "v1", "CustomResourceDefinition", "customresourcedefinitions",
          "customresourcedefinition", false, List.of("crd", "crds"), List.of("api-extensions"),
          ALL_VERBS, Set.of("status"), NameRule.DNS1123_SUBDOMAIN, true);

  /**
   * Every built-in type. Core types first, then groups in the order Kubernetes lists them under
   * {@code /apis} (by group priority): apps, events.k8s.io, autoscaling, batch, networking.k8s.io,
   * policy, rbac.authorization.k8s.io, storage.k8s.io, apiextensions.k8s.io, coordination.k8s.io,
   * discovery.k8s.io.
   */
  public static final List<ResourceType> ALL_TYPES =
      List.of(
          NAMESPACE, CONFIG_MAP, SECRET, POD, SERVICE, ENDPOINTS, EVENT, SERVICE_ACCOUNT, NODE,
          PERSISTENT_VOLUME, PERSISTENT_VOLUME_CLAIM, LIMIT_RANGE, REPLICATION_CONTROLLER,
          RESOURCE_QUOTA,
          DEPLOYMENT, REPLICA_SET, STATEFUL_SET, DAEMON_SET, CONTROLLER_REVISION,
          EVENTS_EVENT,
          HORIZONTAL_POD_AUTOSCALER,
          JOB, CRON_JOB,
          INGRESS, INGRESS_CLASS, NETWORK_POLICY,
          POD_DISRUPTION_BUDGET,
          ROLE, CLUSTER_ROLE, ROLE_BINDING, CLUSTER_ROLE_BINDING,
          STORAGE_CLASS,
          CUSTOM_RESOURCE_DEFINITION,
          LEASE,
          ENDPOINT_SLICE);

  private static ResourceType type(
      String group,
      String version,
      String kind,
      String plural,
      String singular,
      boolean namespaced,
      List<String> shortNames,
      List<String> categories,
      List<String> verbs,
      Set<String> subresources,
      NameRule nameRule,
      boolean hasStatus) {
    return new ResourceType(group, version, kind, plural, singular, namespaced, shortNames,
        categories, verbs, subresources, nameRule, hasStatus, Set.of());
  }
}
