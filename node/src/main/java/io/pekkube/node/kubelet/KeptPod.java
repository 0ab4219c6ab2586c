package io.pekkube.node.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.events.EventRecorder;
import java.time.Duration;

/**
 * A pod as its {@link PodWorker} keeps it between events: the fields every sync reads, and the object
 * as JSON text, parsed only where a whole tree is needed (a container's start, a volume set-up). A
 * parsed pod is a tree of about 25 KB for 4 KB of JSON, and one JVM simulating 1,000 kubelets keeps
 * tens of thousands of pods. The text leaves out {@code metadata.managedFields} (about half of a pod's
 * JSON), which nothing on a node reads.
 *
 * @param involved the pod as its Events name it (with the resourceVersion it had)
 * @param gracePeriod the deletion's grace period, else the pod's {@code terminationGracePeriodSeconds}
 * @param qosClass the QoS class its containers' resources give ({@code GetPodQOS})
 * @param apiBackedVolumes whether a volume is fed from the API (ConfigMap, Secret, projected, downward API)
 */
record KeptPod(EventRecorder.Involved involved, boolean deleting, String restartPolicy, Duration gracePeriod,
    String qosClass, boolean apiBackedVolumes, String json) {

  static KeptPod of(ObjectNode pod) {
    JsonNode meta = pod.path("metadata");
    long seconds = meta.hasNonNull("deletionGracePeriodSeconds") && meta.path("deletionGracePeriodSeconds").asLong() > 0
        ? meta.path("deletionGracePeriodSeconds").asLong()
        : pod.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    return new KeptPod(EventRecorder.Involved.pod(pod), meta.hasNonNull("deletionTimestamp"),
        pod.path("spec").path("restartPolicy").asText("Always"), Duration.ofSeconds(seconds),
        PodStatuses.qosClass(pod), VolumeMounts.hasApiBackedVolumes(pod), Json.write(withoutManagedFields(pod)));
  }

  /** The whole pod, parsed anew (the caller may keep or change it). */
  ObjectNode tree() {
    return Json.parseTrusted(json);
  }

  String name() {
    return involved.name();
  }

  String namespace() {
    return involved.namespace();
  }

  String uid() {
    return involved.uid();
  }

  /** A shallow copy that shares every subtree but {@code metadata}, whose shallow copy lacks managedFields. */
  private static ObjectNode withoutManagedFields(ObjectNode pod) {
    if (!(pod.get("metadata") instanceof ObjectNode meta) || !meta.has("managedFields")) {
      return pod;
    }
    ObjectNode keptMeta = pod.objectNode().setAll(meta);
    keptMeta.remove("managedFields");
    ObjectNode copy = pod.objectNode().setAll(pod);
    copy.set("metadata", keptMeta);
    return copy;
  }
}
