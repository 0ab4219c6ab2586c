package io.pekkube.node;

import io.pekkube.persistence.serialization.KryoRegistrar;

/**
 * Fixed Kryo ids of the node module's cluster messages: 3000-3099. Never reuse or renumber one.
 * 3000 is retired (the kubelet's bound-pod hint, now the actors module's {@code PodBoundNotice}, 1170).
 */
public final class NodeKryoRegistrar implements KryoRegistrar {

  @Override
  public void register(KryoRegistrar.Registrations r) {
    // No node-module message crosses the cluster today.
  }
}
