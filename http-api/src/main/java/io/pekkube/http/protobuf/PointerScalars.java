package io.pekkube.http.protobuf;

import java.util.Set;

/**
 * The scalar fields Kubernetes declares as Go pointers ({@code *int32}, {@code *bool}) where an
 * explicit zero means something other than "unset" (replicas 0 is not the default 1).
 *
 * <p>The protobuf descriptors cannot tell: every field of Kubernetes' generated.proto is
 * {@code optional}, and Go writes every non-pointer field, zero or not (kubectl's Deployment carries
 * {@code minReadySeconds: 0} and {@code paused: false} as much as {@code replicas: 0}). So presence
 * on the wire proves a pointer only for the fields listed here; every other zero stays omitted,
 * as Go's {@code omitempty} JSON would.
 */
final class PointerScalars {
  private static final Set<String> FIELDS = Set.of(
      "k8s.io.api.apps.v1.DeploymentSpec.replicas",
      "k8s.io.api.apps.v1.DeploymentSpec.revisionHistoryLimit",
      "k8s.io.api.apps.v1.DeploymentSpec.progressDeadlineSeconds",
      "k8s.io.api.apps.v1.ReplicaSetSpec.replicas",
      "k8s.io.api.apps.v1.StatefulSetSpec.replicas",
      "k8s.io.api.apps.v1.StatefulSetSpec.revisionHistoryLimit",
      "k8s.io.api.apps.v1.DaemonSetSpec.revisionHistoryLimit",
      "k8s.io.api.core.v1.ReplicationControllerSpec.replicas",
      "k8s.io.api.batch.v1.JobSpec.parallelism",
      "k8s.io.api.batch.v1.JobSpec.completions",
      "k8s.io.api.batch.v1.JobSpec.activeDeadlineSeconds",
      "k8s.io.api.batch.v1.JobSpec.backoffLimit",
      "k8s.io.api.batch.v1.JobSpec.backoffLimitPerIndex",
      "k8s.io.api.batch.v1.JobSpec.maxFailedIndexes",
      "k8s.io.api.batch.v1.JobSpec.manualSelector",
      "k8s.io.api.batch.v1.JobSpec.ttlSecondsAfterFinished",
      "k8s.io.api.batch.v1.JobSpec.suspend",
      "k8s.io.api.batch.v1.CronJobSpec.startingDeadlineSeconds",
      "k8s.io.api.batch.v1.CronJobSpec.suspend",
      "k8s.io.api.batch.v1.CronJobSpec.successfulJobsHistoryLimit",
      "k8s.io.api.batch.v1.CronJobSpec.failedJobsHistoryLimit",
      "k8s.io.api.core.v1.PodSpec.terminationGracePeriodSeconds",
      "k8s.io.api.core.v1.PodSpec.activeDeadlineSeconds",
      "k8s.io.api.core.v1.PodSpec.automountServiceAccountToken",
      "k8s.io.api.core.v1.PodSpec.shareProcessNamespace",
      "k8s.io.api.core.v1.PodSpec.priority",
      "k8s.io.api.core.v1.PodSpec.enableServiceLinks",
      "k8s.io.api.core.v1.PodSpec.setHostnameAsFQDN",
      "k8s.io.api.core.v1.PodSpec.hostUsers",
      "k8s.io.api.core.v1.PodSecurityContext.runAsUser",
      "k8s.io.api.core.v1.PodSecurityContext.runAsGroup",
      "k8s.io.api.core.v1.PodSecurityContext.runAsNonRoot",
      "k8s.io.api.core.v1.PodSecurityContext.fsGroup",
      "k8s.io.api.core.v1.SecurityContext.privileged",
      "k8s.io.api.core.v1.SecurityContext.runAsUser",
      "k8s.io.api.core.v1.SecurityContext.runAsGroup",
      "k8s.io.api.core.v1.SecurityContext.runAsNonRoot",
      "k8s.io.api.core.v1.SecurityContext.readOnlyRootFilesystem",
      "k8s.io.api.core.v1.SecurityContext.allowPrivilegeEscalation",
      "k8s.io.api.core.v1.ConfigMap.immutable",
      "k8s.io.api.core.v1.Secret.immutable",
      "k8s.io.api.core.v1.ServiceAccount.automountServiceAccountToken",
      "k8s.io.api.autoscaling.v1.HorizontalPodAutoscalerSpec.minReplicas",
      "k8s.io.api.autoscaling.v1.HorizontalPodAutoscalerSpec.targetCPUUtilizationPercentage",
      "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions.gracePeriodSeconds",
      "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions.orphanDependents",
      "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta.deletionGracePeriodSeconds");

  private PointerScalars() {}

  /** True when a zero of this field, present on the wire, was set on purpose. */
  static boolean keepsZero(String messageFullName, String field) {
    return FIELDS.contains(messageFullName + "." + field);
  }
}
