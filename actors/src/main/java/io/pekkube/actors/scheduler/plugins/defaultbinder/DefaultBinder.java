package io.pekkube.actors.scheduler.plugins.defaultbinder;

import io.pekkube.actors.pods.PodBinder;
import io.pekkube.actors.scheduler.framework.Plugin;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Status;
import java.util.concurrent.CompletionStage;

/**
 * Kubernetes' {@code DefaultBinder}: writes a Binding through the gateway's {@code pods/binding} write
 * path ({@link PodBinder}, shared with the HTTP route).
 */
public final class DefaultBinder implements Plugin.Bind {
  public static final String NAME = "DefaultBinder";
  /** The identity the scheduler writes as. */
  public static final String USER = "system:kube-scheduler";

  private final PodBinder binder;

  public DefaultBinder(PodBinder binder) {
    this.binder = binder;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CompletionStage<Status> bind(PodInfo pod, String nodeName) {
    return binder.bind(pod.namespace(), pod.name(), PodBinder.bindingTo(pod.namespace(), pod.name(), pod.uid(), nodeName),
            false, USER)
        .thenApply(o -> o.bound() ? Status.SUCCESS : Status.error(NAME, o.error().message()));
  }
}
