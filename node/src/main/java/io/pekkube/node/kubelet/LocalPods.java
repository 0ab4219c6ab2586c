package io.pekkube.node.kubelet;

import io.pekkube.node.runtime.ContainerRuntime;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pods whose containers this JVM's kubelets run, for the kubelet's HTTP endpoint (logs, exec):
 * each pod worker publishes an immutable snapshot of its containers whenever one starts or ends, so
 * the endpoint reads without asking actors. One registry serves every kubelet of the JVM (a server's
 * own kubelet or the simulated ones of {@code agent --simulate}).
 */
public final class LocalPods {

  /** One container: its current (or last) run and the log of the run before, when there was one. */
  public record Container(String name, String containerId, Path logFile, Path previousLogFile, boolean running) {}

  public record Pod(String uid, ContainerRuntime runtime, Map<String, Container> containers) {}

  private final Map<String, Pod> pods = new ConcurrentHashMap<>();

  public void publish(String namespace, String name, Pod pod) {
    pods.put(namespace + "/" + name, pod);
  }

  public void remove(String namespace, String name, String uid) {
    pods.computeIfPresent(namespace + "/" + name, (k, p) -> p.uid().equals(uid) ? null : p);
  }

  public Optional<Pod> pod(String namespace, String name) {
    return Optional.ofNullable(pods.get(namespace + "/" + name));
  }

  public Optional<Container> container(String namespace, String name, String container) {
    return pod(namespace, name).map(p -> p.containers().get(container));
  }
}
