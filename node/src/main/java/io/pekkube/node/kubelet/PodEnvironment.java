package io.pekkube.node.kubelet;

import io.pekkube.actors.events.EventRecorder;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.node.probes.Prober;
import io.pekkube.node.runtime.ContainerRuntime;
import io.pekkube.node.volumes.PodVolumes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * What every pod worker of one kubelet shares: the API, the runtime and its prober, the node's
 * facts, where pod directories go and the volumes in them, the back-off policies, how often volumes
 * from ConfigMaps and Secrets are refreshed ({@code syncFrequency}), the registry of local pods and the
 * recorder of the kubelet's Events.
 */
public record PodEnvironment(ApiClient client, ContainerRuntime runtime, Prober prober, String nodeName,
    EnvResolution.NodeFacts node, Path podsDirectory, PodVolumes volumes, RestartBackOff crashBackOff,
    RestartBackOff pullBackOff, Duration syncFrequency, LocalPods localPods, EventRecorder events, Clock clock) {

  /** The user the kubelet writes as, as a Kubernetes node's credentials name it. */
  public String user() {
    return user(nodeName);
  }

  static String user(String nodeName) {
    return "system:node:" + nodeName;
  }

  /** The recorder a kubelet's Events come from: component {@code kubelet}, host the node. */
  static EventRecorder eventRecorder(ApiClient client, String nodeName, Clock clock) {
    return new EventRecorder(client, user(nodeName), new EventRecorder.Source("kubelet", nodeName), clock);
  }
}
