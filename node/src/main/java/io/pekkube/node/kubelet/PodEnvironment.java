package io.pekkube.node.kubelet;

import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.node.probes.Prober;
import io.pekkube.node.runtime.ContainerRuntime;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What every pod worker of one kubelet shares: the API, the runtime and its prober, the node's
 * facts, where pod directories go, the back-off policies and the registry of local pods.
 */
public record PodEnvironment(ApiClient client, ContainerRuntime runtime, Prober prober, String nodeName,
    EnvResolution.NodeFacts node, Path podsDirectory, RestartBackOff crashBackOff, RestartBackOff pullBackOff,
    LocalPods localPods, Clock clock) {

  /** The user the kubelet writes as, as a Kubernetes node's credentials name it. */
  public String user() {
    return "system:node:" + nodeName;
  }
}
