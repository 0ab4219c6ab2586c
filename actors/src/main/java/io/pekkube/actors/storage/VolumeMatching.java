package io.pekkube.actors.storage;

import io.pekkube.actors.scheduler.framework.ClaimInfo;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.VolumeInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which PersistentVolume a claim gets, as Kubernetes decides it for both of its users: the volume controller
 * ({@link #findBestMatchForClaim}: no node, volumes grouped by access modes) and the scheduler's VolumeBinding
 * ({@link #findMatchingVolume} with the node the pod would run on). Pure.
 */
public final class VolumeMatching {
  /** Kubernetes' short names of the access modes, in the order its index keys list them. */
  private static final List<String> ACCESS_MODES =
      List.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod");

  private VolumeMatching() {}

  /**
   * Kubernetes' {@code FindMatchingVolume}: a volume pre-bound to the claim ({@code spec.claimRef}) that is big
   * enough wins at once (none when {@code node} cannot reach it); else the smallest volume that is Available,
   * claimed by nobody, of the claim's class, volume mode and selector, at least as big as the request and,
   * on the scheduler's path ({@code node} given), reachable from the node with every access mode the claim
   * asks for. {@code delayBinding} (the volume controller on a {@code WaitForFirstConsumer} claim) leaves
   * unbound volumes to the scheduler. Null when nothing matches.
   */
  public static VolumeInfo findMatchingVolume(ClaimInfo claim, Collection<VolumeInfo> volumes, NodeInfo node,
      Set<String> excluded, boolean delayBinding) {
    VolumeInfo smallest = null;
    for (VolumeInfo volume : volumes) {
      if (excluded.contains(volume.name()) || !volume.volumeMode().equals(claim.volumeMode()) || volume.deleting()) {
        continue;
      }
      boolean reachable = node == null || volume.reachableFrom(node);
      if (volume.boundTo(claim)) {
        if (volume.capacityBytes() < claim.requestBytes()) {
          continue;
        }
        return reachable ? volume : null;
      }
      if (node == null && delayBinding) {
        continue;
      }
      if (!"Available".equals(volume.phase()) || volume.claimRef() != null
          || claim.selector() != null && !claim.selector().matches(volume.labels())
          || !volume.storageClassName().equals(claim.storageClassName()) || !reachable
          || node != null && !hasAccessModes(volume, claim)) {
        continue;
      }
      if (volume.capacityBytes() >= claim.requestBytes()
          && (smallest == null || smallest.capacityBytes() > volume.capacityBytes())) {
        smallest = volume;
      }
    }
    return smallest;
  }

  /**
   * The volume controller's {@code findBestMatchForClaim}: the volumes grouped by their set of access modes,
   * the groups that have every mode the claim asks for tried from the fewest modes up, so the claim gets
   * what is closest to what it asked for.
   */
  public static VolumeInfo findBestMatchForClaim(ClaimInfo claim, Collection<VolumeInfo> volumes,
      boolean delayBinding) {
    Map<String, List<VolumeInfo>> byModes = new TreeMap<>();
    for (VolumeInfo volume : volumes) {
      byModes.computeIfAbsent(modesKey(volume.accessModes()), k -> new ArrayList<>()).add(volume);
    }
    List<List<VolumeInfo>> groups = new ArrayList<>();
    byModes.forEach((modes, group) -> {
      if (hasAccessModes(group.get(0), claim)) {
        groups.add(group);
      }
    });
    groups.sort(Comparator.comparingInt(group -> group.get(0).accessModes().size()));
    for (List<VolumeInfo> group : groups) {
      VolumeInfo best = findMatchingVolume(claim, group, null, Set.of(), delayBinding);
      if (best != null) {
        return best;
      }
    }
    return null;
  }

  /** Kubernetes' {@code CheckAccessModes}: the volume offers every mode the claim asks for. */
  public static boolean hasAccessModes(VolumeInfo volume, ClaimInfo claim) {
    return volume.accessModes().containsAll(claim.accessModes());
  }

  /** A volume's modes as one key, the same for the same set in any order. */
  private static String modesKey(List<String> modes) {
    StringBuilder key = new StringBuilder();
    for (String mode : ACCESS_MODES) {
      if (modes.contains(mode)) {
        key.append(mode).append(',');
      }
    }
    modes.stream().filter(m -> !ACCESS_MODES.contains(m)).sorted().forEach(m -> key.append(m).append(','));
    return key.toString();
  }
}
