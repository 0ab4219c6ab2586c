package io.pekkube.actors.scheduler.plugins;

import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.pods.PodBinder;
import io.pekkube.actors.scheduler.SchedulerSettings;
import io.pekkube.actors.scheduler.cache.VolumeCache;
import io.pekkube.actors.scheduler.framework.Plugin;
import io.pekkube.actors.scheduler.plugins.defaultbinder.DefaultBinder;
import io.pekkube.actors.scheduler.plugins.defaultpreemption.DefaultPreemption;
import io.pekkube.actors.scheduler.plugins.interpodaffinity.InterPodAffinity;
import io.pekkube.actors.scheduler.plugins.nodeaffinity.NodeAffinity;
import io.pekkube.actors.scheduler.plugins.nodename.NodeName;
import io.pekkube.actors.scheduler.plugins.nodeports.NodePorts;
import io.pekkube.actors.scheduler.plugins.noderesources.NodeResourcesFit;
import io.pekkube.actors.scheduler.plugins.nodeunschedulable.NodeUnschedulable;
import io.pekkube.actors.scheduler.plugins.podtopologyspread.PodTopologySpread;
import io.pekkube.actors.scheduler.plugins.queuesort.PrioritySort;
import io.pekkube.actors.scheduler.plugins.tainttoleration.TaintToleration;
import io.pekkube.actors.scheduler.plugins.volumebinding.VolumeBinder;
import io.pekkube.actors.scheduler.plugins.volumebinding.VolumeBinding;
import io.pekkube.actors.scheduler.framework.Framework;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.Map;
import java.util.function.BiFunction;

/** Every plugin by name, so that a profile is configuration: its list of names builds its framework. */
public final class Registry {
  private Registry() {}

  /**
   * What a plugin may use besides the pod and the nodes, as Kubernetes' {@code framework.Handle}: the writers
   * (null in pure tests) and the scheduler cache's storage objects.
   */
  public record Handle(PodBinder binder, ApiClient client, VolumeCache volumes) {}

  /** Name → factory (the profile's settings, the handle). */
  public static final Map<String, BiFunction<SchedulerSettings.Profile, Handle, Plugin>> PLUGINS = plugins();

  private static Map<String, BiFunction<SchedulerSettings.Profile, Handle, Plugin>> plugins() {
    Map<String, BiFunction<SchedulerSettings.Profile, Handle, Plugin>> m = new LinkedHashMap<>();
    m.put(PrioritySort.NAME, (p, b) -> new PrioritySort());
    m.put(NodeUnschedulable.NAME, (p, b) -> new NodeUnschedulable());
    m.put(NodeName.NAME, (p, b) -> new NodeName());
    m.put(TaintToleration.NAME, (p, b) -> new TaintToleration());
    m.put(NodeAffinity.NAME, (p, b) -> new NodeAffinity());
    m.put(NodePorts.NAME, (p, b) -> new NodePorts());
    m.put(NodeResourcesFit.NAME, (p, b) -> new NodeResourcesFit(p.scoringStrategy(), p.resourceWeights()));
    m.put(VolumeBinding.NAME, (p, h) -> new VolumeBinding(h.volumes(),
        new VolumeBinder(h.client(), p.volumeBindTimeout())));
    m.put(PodTopologySpread.NAME, (p, h) -> new PodTopologySpread());
    m.put(InterPodAffinity.NAME, (p, h) -> new InterPodAffinity(p.hardPodAffinityWeight()));
    m.put(DefaultPreemption.NAME, (p, b) -> new DefaultPreemption());
    m.put(DefaultBinder.NAME, (p, h) -> new DefaultBinder(h.binder()));
    return Map.copyOf(m);
  }

  /** The framework of one profile; an unknown plugin name is a configuration error. */
  public static Framework framework(SchedulerSettings settings, SchedulerSettings.Profile profile, Handle handle,
      Random random) {
    List<Plugin> plugins = new ArrayList<>();
    for (String name : profile.plugins()) {
      var factory = PLUGINS.get(name);
      if (factory == null) {
        throw new IllegalArgumentException("scheduler profile " + profile.schedulerName() + ": unknown plugin " + name
            + "; known: " + PLUGINS.keySet());
      }
      plugins.add(factory.apply(profile, handle));
    }
    return new Framework(profile.schedulerName(), plugins, profile.scoreWeights(), settings.percentageOfNodesToScore(),
        random);
  }
}
