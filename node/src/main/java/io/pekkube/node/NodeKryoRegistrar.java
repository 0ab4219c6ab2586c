package io.pekkube.node;

import io.pekkube.node.kubelet.Kubelet;
import io.pekkube.persistence.serialization.KryoRegistrar;

/** Fixed Kryo ids of the node module's cluster messages: 3000-3099. Never reuse or renumber one. */
public final class NodeKryoRegistrar implements KryoRegistrar {

  @Override
  public void register(KryoRegistrar.Registrations r) {
    r.register(Kubelet.PodBound.class, 3000);
  }
}
