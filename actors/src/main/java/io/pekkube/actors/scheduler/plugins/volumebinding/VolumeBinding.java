package io.pekkube.actors.scheduler.plugins.volumebinding;

import io.pekkube.actors.scheduler.cache.VolumeCache;
import io.pekkube.actors.scheduler.framework.ClaimInfo;
import io.pekkube.actors.scheduler.framework.ClusterEvent;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.Plugin;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Snapshot;
import io.pekkube.actors.scheduler.framework.Status;
import io.pekkube.actors.scheduler.framework.StorageClassInfo;
import io.pekkube.actors.scheduler.framework.VolumeInfo;
import io.pekkube.actors.storage.BindingEdits;
import io.pekkube.actors.storage.VolumeMatching;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes' {@code VolumeBinding}: a pod's PersistentVolumeClaims decide where it can run.
 * <ul>
 *   <li>PreFilter sorts the claims (a pod without any is skipped): a missing, lost or deleting claim, or an
 *       unbound claim that is not {@code WaitForFirstConsumer}, rejects every node;</li>
 *   <li>Filter: a bound claim's volume must be reachable from the node (its node affinity); an unbound
 *       {@code WaitForFirstConsumer} claim needs an available matching volume reachable from the node, or
 *       a class that can provision one there;</li>
 *   <li>Reserve assumes the chosen volumes given to their claims (and the claims to provision given the
 *       node) in the {@link VolumeCache}, so the next pods do not take them; Unreserve undoes it;</li>
 *   <li>PreBind writes it through the gateway ({@link VolumeBinder}) before the pod is bound.</li>
 * </ul>
 * Not thread-safe but PreBind: one scheduler actor owns it, and PreBind only takes what Reserve left.
 */
public final class VolumeBinding implements Plugin.PreFilter, Plugin.Filter, Plugin.Reserve, Plugin.PreBind,
    Plugin.EnqueueExtensions {
  public static final String NAME = "VolumeBinding";
  public static final String ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
  public static final String ERR_REASON_NODE_CONFLICT = "node(s) had volume node affinity conflict";
  public static final String ERR_REASON_PV_NOT_EXIST =
      "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
  public static final String ERR_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";

  /** The pod's claims as PreFilter sorted them, and the volumes its unbound claims may take. */
  public record Claims(List<ClaimInfo> bound, List<ClaimInfo> toBind, List<VolumeInfo> candidates) {}

  /** A volume chosen for a claim. */
  public record Binding(VolumeInfo volume, ClaimInfo claim) {}

  /** What the pod's unbound claims take on one node: volumes to bind, claims to provision there. */
  public record PodVolumes(List<Binding> staticBindings, List<ClaimInfo> provisions) {
    static final PodVolumes NONE = new PodVolumes(List.of(), List.of());

    public boolean isEmpty() {
      return staticBindings.isEmpty() && provisions.isEmpty();
    }
  }

  /** PreFilter's answer: a status, and the claims when it is a success. */
  public record Sorted(Status status, Claims claims) {}

  /** Filter's answer on one node: a status, and what binding takes there when it is a success. */
  public record Found(Status status, PodVolumes volumes) {}

  private final VolumeCache cache;
  private final VolumeBinder binder;
  /** The pod of the current cycle, its claims and what each node that fitted would take. */
  private PodInfo cyclePod;
  private Claims cycleClaims;
  private final Map<String, PodVolumes> cycleByNode = new HashMap<>();
  /** What Reserve assumed, by pod key, until PreBind writes it (PreBind may run on another thread). */
  private final Map<String, PodVolumes> reserved = new ConcurrentHashMap<>();

  public VolumeBinding(VolumeCache cache, VolumeBinder binder) {
    this.cache = cache;
    this.binder = binder;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<ClusterEvent> eventsToRegister() {
    // A missing or mis-configured class, claim or volume; a node whose labels now match a volume's affinity.
    return EnumSet.of(ClusterEvent.STORAGE_CLASS_ADDED, ClusterEvent.STORAGE_CLASS_UPDATED,
        ClusterEvent.PVC_ADDED, ClusterEvent.PVC_UPDATED, ClusterEvent.PV_ADDED, ClusterEvent.PV_UPDATED,
        ClusterEvent.NODE_ADDED, ClusterEvent.NODE_LABELS_CHANGED);
  }

  @Override
  public Status preFilter(PodInfo pod, Snapshot snapshot) {
    Sorted sorted = sortClaims(pod, cache);
    cyclePod = pod;
    cycleClaims = sorted.claims();
    cycleByNode.clear();
    return sorted.status();
  }

  @Override
  public Status filter(PodInfo pod, NodeInfo node) {
    Claims claims = claimsOf(pod);
    if (claims == null) {
      return Status.SUCCESS;
    }
    Found found = findPodVolumes(claims, node, cache);
    if (found.status().isSuccess() && pod == cyclePod) {
      cycleByNode.put(node.name(), found.volumes());
    }
    return found.status();
  }

  @Override
  public Status reserve(PodInfo pod, String nodeName) {
    PodVolumes chosen = pod == cyclePod ? cycleByNode.get(nodeName) : null;
    if (chosen == null || chosen.isEmpty()) {
      return Status.SUCCESS; // no claims, or every claim is bound already
    }
    List<Binding> bindings = new ArrayList<>(chosen.staticBindings().size());
    for (Binding b : chosen.staticBindings()) {
      VolumeInfo assumed = VolumeInfo.of(BindingEdits.volumeBoundTo(b.volume().object(), b.claim()));
      cache.assumeVolume(assumed, pod.key());
      bindings.add(new Binding(assumed, b.claim()));
    }
    List<ClaimInfo> provisions = new ArrayList<>(chosen.provisions().size());
    for (ClaimInfo claim : chosen.provisions()) {
      ClaimInfo assumed = ClaimInfo.of(VolumeBinder.claimWithSelectedNode(claim.object(), nodeName));
      cache.assumeClaim(assumed, pod.key());
      provisions.add(assumed);
    }
    reserved.put(pod.key(), new PodVolumes(List.copyOf(bindings), List.copyOf(provisions)));
    return Status.SUCCESS;
  }

  @Override
  public void unreserve(PodInfo pod, String nodeName) {
    reserved.remove(pod.key());
    cache.restore(pod.key());
  }

  @Override
  public CompletionStage<Status> preBind(PodInfo pod, String nodeName) {
    PodVolumes volumes = reserved.remove(pod.key());
    if (volumes == null) {
      return CompletableFuture.completedFuture(Status.SUCCESS);
    }
    return binder.bind(pod, nodeName, volumes);
  }

  /** The claims of the cycle's pod, or of another pod sorted now (preemption's what-if runs); null: none. */
  private Claims claimsOf(PodInfo pod) {
    if (pod == cyclePod) {
      return cycleClaims;
    }
    return sortClaims(pod, cache).claims();
  }

  /**
   * Kubernetes' {@code podHasPVCs} and {@code GetPodVolumeClaims}: the pod's claims ({@code persistentVolumeClaim}
   * volumes, and the {@code <pod>-<volume>} claim of each ephemeral volume) sorted into bound and to bind.
   */
  public static Sorted sortClaims(PodInfo pod, VolumeCache cache) {
    List<ClaimInfo> bound = new ArrayList<>();
    List<ClaimInfo> toBind = new ArrayList<>();
    if (pod.claimVolumes().isEmpty()) {
      return new Sorted(Status.SKIP, null);
    }
    boolean unboundImmediate = false;
    for (PodInfo.ClaimVolume volume : pod.claimVolumes()) {
      String claimName = volume.claimName();
      boolean ephemeral = volume.ephemeral();
      ClaimInfo claim = cache.claim(pod.namespace(), claimName);
      if (claim == null) {
        return rejected(ephemeral
            ? "waiting for ephemeral volume controller to create the persistentvolumeclaim \"" + claimName + "\""
            : "persistentvolumeclaim \"" + claimName + "\" not found");
      }
      if ("Lost".equals(claim.phase())) {
        return rejected("persistentvolumeclaim \"" + claimName + "\" bound to non-existent persistentvolume \""
            + claim.volumeName() + "\"");
      }
      if (claim.deleting()) {
        return rejected("persistentvolumeclaim \"" + claimName + "\" is being deleted");
      }
      if (ephemeral && !claim.controllerUid().equals(pod.uid())) {
        return rejected("PVC " + claim.key() + " was not created for pod " + pod.key() + " (pod is not owner)");
      }
      if (claim.fullyBound()) {
        bound.add(claim);
      } else if (claim.volumeName().isEmpty() && delayBinding(claim, cache)) {
        toBind.add(claim);
      } else {
        unboundImmediate = true; // pre-bound claims too: the volume controller binds those
      }
    }
    if (unboundImmediate) {
      return rejected(ERR_UNBOUND_IMMEDIATE);
    }
    return new Sorted(Status.SUCCESS, new Claims(bound, toBind, candidates(toBind, cache)));
  }

  private static Sorted rejected(String reason) {
    return new Sorted(Status.unresolvable(NAME, reason), null);
  }

  /** Kubernetes' {@code IsDelayBindingMode}: the claim's class exists and waits for the first consumer. */
  static boolean delayBinding(ClaimInfo claim, VolumeCache cache) {
    if (claim.storageClassName().isEmpty()) {
      return false;
    }
    StorageClassInfo c = cache.storageClass(claim.storageClassName());
    return c != null && c.waitForFirstConsumer();
  }

  /** The volumes of the classes the unbound claims ask for, listed once per cycle. */
  private static List<VolumeInfo> candidates(List<ClaimInfo> toBind, VolumeCache cache) {
    if (toBind.isEmpty()) {
      return List.of();
    }
    Set<String> classes = new HashSet<>();
    toBind.forEach(c -> classes.add(c.storageClassName()));
    List<VolumeInfo> list = new ArrayList<>();
    for (VolumeInfo v : cache.volumes()) {
      if (classes.contains(v.storageClassName())) {
        list.add(v);
      }
    }
    return list;
  }

  /**
   * Kubernetes' {@code FindPodVolumes} on one node: the bound claims' volumes must be reachable from it,
   * each claim to bind gets the smallest matching volume or, failing that, is provisioned there if its
   * class can. The reasons name every way the node failed.
   */
  public static Found findPodVolumes(Claims claims, NodeInfo node, VolumeCache cache) {
    boolean boundSatisfied = true;
    boolean boundVolumesFound = true;
    for (ClaimInfo claim : claims.bound()) {
      VolumeInfo volume = cache.volume(claim.volumeName());
      if (volume == null) {
        boundVolumesFound = false;
        break;
      }
      if (!volume.reachableFrom(node)) {
        boundSatisfied = false;
        break;
      }
    }
    boolean unboundSatisfied = true;
    List<Binding> bindings = List.of();
    List<ClaimInfo> provisions = List.of();
    if (!claims.toBind().isEmpty()) {
      List<ClaimInfo> toMatch = new ArrayList<>();
      List<ClaimInfo> toProvision = new ArrayList<>();
      for (ClaimInfo claim : claims.toBind()) {
        if (claim.selectedNode() == null) {
          toMatch.add(claim);
        } else if (!claim.selectedNode().equals(node.name())) {
          return reasons(boundSatisfied, false, boundVolumesFound); // being provisioned for another node
        } else {
          toProvision.add(claim);
        }
      }
      if (!toMatch.isEmpty()) {
        toMatch.sort(Comparator.comparingLong(ClaimInfo::requestBytes));
        bindings = new ArrayList<>();
        Set<String> chosen = new HashSet<>();
        for (ClaimInfo claim : toMatch) {
          VolumeInfo volume = VolumeMatching.findMatchingVolume(claim, claims.candidates(), node, chosen, false);
          if (volume == null) {
            unboundSatisfied = false;
            toProvision.add(claim);
          } else {
            chosen.add(volume.name());
            bindings.add(new Binding(volume, claim));
          }
        }
      }
      if (!toProvision.isEmpty()) {
        provisions = new ArrayList<>(toProvision.size());
        unboundSatisfied = true;
        for (ClaimInfo claim : toProvision) {
          if (claim.storageClassName().isEmpty()) {
            return new Found(Status.error(NAME, "no class for claim \"" + claim.key() + "\""), null);
          }
          StorageClassInfo c = cache.storageClass(claim.storageClassName());
          if (c == null) {
            return new Found(Status.error(NAME, "failed to find storage class \"" + claim.storageClassName() + "\""),
                null);
          }
          if (!c.provisions() || !c.allowsTopologyOf(node)) {
            unboundSatisfied = false;
            provisions = List.of();
            break;
          }
          provisions.add(claim);
        }
      }
    }
    Found failed = reasons(boundSatisfied, unboundSatisfied, boundVolumesFound);
    if (failed != null) {
      return failed;
    }
    return new Found(Status.SUCCESS, bindings.isEmpty() && provisions.isEmpty() ? PodVolumes.NONE
        : new PodVolumes(List.copyOf(bindings), List.copyOf(provisions)));
  }

  /** The node's reasons in Kubernetes' order; null when there is none. */
  private static Found reasons(boolean boundSatisfied, boolean unboundSatisfied, boolean boundVolumesFound) {
    List<String> reasons = new ArrayList<>(1);
    if (!boundSatisfied) {
      reasons.add(ERR_REASON_NODE_CONFLICT);
    }
    if (!unboundSatisfied) {
      reasons.add(ERR_REASON_BIND_CONFLICT);
    }
    if (!boundVolumesFound) {
      reasons.add(ERR_REASON_PV_NOT_EXIST);
    }
    return reasons.isEmpty() ? null : new Found(Status.unresolvable(NAME, reasons.toArray(String[]::new)), null);
  }
}
