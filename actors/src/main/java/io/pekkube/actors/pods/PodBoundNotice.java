package io.pekkube.actors.pods;

import io.pekkube.persistence.serialization.ClusterMessage;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * The scheduler's word to the kubelet of a node, across the cluster, that a pod was just bound there:
 * the kubelet reads the pod at once instead of waiting for its watch (which stays the safety net).
 * Kubelets register for it with the Receptionist under {@link #serviceKey}.
 */
public record PodBoundNotice(String namespace, String name) implements ClusterMessage {

  /** The Receptionist key of the kubelet of {@code nodeName}. */
  public static ServiceKey<PodBoundNotice> serviceKey(String nodeName) {
    return ServiceKey.create(PodBoundNotice.class, "kubelet-" + nodeName);
  }
}
