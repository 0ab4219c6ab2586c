package io.pekkube.actors.cluster;

/** The cluster roles of a Pekkube JVM. */
public final class Roles {
  /** Hosts resource entities, hubs, controllers, the scheduler and the API. */
  public static final String CONTROL_PLANE = "control-plane";
  /** Hosts the kubelet, the container runtime and the service proxy. */
  public static final String WORKER = "worker";

  private Roles() {}
}
