package io.pekkube.actors.scheduler.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.scheduler.framework.ClaimInfo;
import io.pekkube.actors.scheduler.framework.StorageClassInfo;
import io.pekkube.actors.scheduler.framework.VolumeInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The PersistentVolumeClaims, PersistentVolumes and StorageClasses the scheduler knows from their watches,
 * with Kubernetes' assume cache on top: a volume or claim the scheduler has decided on (a PV given to a
 * claim, a claim given a node to be provisioned on) is <em>assumed</em> in its new form until the watch
 * brings a newer version of it, so the next pods do not pick the same volume while the writes are in
 * flight. An assumption is undone when the pod's binding fails; each is tagged with its pod's key.
 */
public final class VolumeCache {
  private record Assumed<T>(T info, String podKey) {}

  private final Map<String, ClaimInfo> claims = new HashMap<>();
  private final Map<String, VolumeInfo> volumes = new HashMap<>();
  private final Map<String, StorageClassInfo> classes = new HashMap<>();
  private final Map<String, Assumed<ClaimInfo>> assumedClaims = new HashMap<>();
  private final Map<String, Assumed<VolumeInfo>> assumedVolumes = new HashMap<>();

  /** The types this cache is fed. */
  public static final List<ResourceType> TYPES = List.of(BuiltinTypes.PERSISTENT_VOLUME_CLAIM,
      BuiltinTypes.PERSISTENT_VOLUME, BuiltinTypes.STORAGE_CLASS);

  /** The whole current set of one type (after a LIST). */
  public void replace(ResourceType type, Collection<ObjectNode> current) {
    if (type.equals(BuiltinTypes.PERSISTENT_VOLUME_CLAIM)) {
      claims.clear();
    } else if (type.equals(BuiltinTypes.PERSISTENT_VOLUME)) {
      volumes.clear();
    } else {
      classes.clear();
    }
    current.forEach(o -> upsert(type, o));
  }

  public void upsert(ResourceType type, ObjectNode object) {
    if (type.equals(BuiltinTypes.PERSISTENT_VOLUME_CLAIM)) {
      ClaimInfo claim = ClaimInfo.of(object);
      claims.put(claim.key(), claim);
      Assumed<ClaimInfo> a = assumedClaims.get(claim.key());
      if (a != null && newer(claim.resourceVersion(), a.info().resourceVersion())) {
        assumedClaims.remove(claim.key());
      }
    } else if (type.equals(BuiltinTypes.PERSISTENT_VOLUME)) {
      VolumeInfo volume = VolumeInfo.of(object);
      volumes.put(volume.name(), volume);
      Assumed<VolumeInfo> a = assumedVolumes.get(volume.name());
      if (a != null && newer(volume.resourceVersion(), a.info().resourceVersion())) {
        assumedVolumes.remove(volume.name());
      }
    } else {
      StorageClassInfo c = StorageClassInfo.of(object);
      classes.put(c.name(), c);
    }
  }

  public void remove(ResourceType type, ObjectNode object) {
    String name = object.path("metadata").path("name").asText();
    if (type.equals(BuiltinTypes.PERSISTENT_VOLUME_CLAIM)) {
      String key = object.path("metadata").path("namespace").asText() + "/" + name;
      claims.remove(key);
      assumedClaims.remove(key);
    } else if (type.equals(BuiltinTypes.PERSISTENT_VOLUME)) {
      volumes.remove(name);
      assumedVolumes.remove(name);
    } else {
      classes.remove(name);
    }
  }

  /** The claim as the scheduler sees it (assumed if it is), or null. */
  public ClaimInfo claim(String namespace, String name) {
    String key = namespace + "/" + name;
    Assumed<ClaimInfo> a = assumedClaims.get(key);
    return a != null ? a.info() : claims.get(key);
  }

  public VolumeInfo volume(String name) {
    Assumed<VolumeInfo> a = assumedVolumes.get(name);
    return a != null ? a.info() : volumes.get(name);
  }

  /** Every volume, assumed ones in their assumed form. */
  public List<VolumeInfo> volumes() {
    List<VolumeInfo> list = new ArrayList<>(volumes.size());
    for (VolumeInfo v : volumes.values()) {
      Assumed<VolumeInfo> a = assumedVolumes.get(v.name());
      list.add(a != null ? a.info() : v);
    }
    return list;
  }

  public StorageClassInfo storageClass(String name) {
    return classes.get(name);
  }

  /** Shows {@code claim} (a new version of a known claim) until the watch brings a newer one. */
  public void assumeClaim(ClaimInfo claim, String podKey) {
    assumedClaims.put(claim.key(), new Assumed<>(claim, podKey));
  }

  public void assumeVolume(VolumeInfo volume, String podKey) {
    assumedVolumes.put(volume.name(), new Assumed<>(volume, podKey));
  }

  /** Undoes what was assumed for the pod: the API's versions show again. */
  public void restore(String podKey) {
    assumedClaims.values().removeIf(a -> a.podKey().equals(podKey));
    assumedVolumes.values().removeIf(a -> a.podKey().equals(podKey));
  }

  public boolean isAssumed(ResourceType type, String key) {
    return type.equals(BuiltinTypes.PERSISTENT_VOLUME) ? assumedVolumes.containsKey(key) : assumedClaims.containsKey(key);
  }

  /** Revisions are decimal integers that only grow: longer is newer, then by digits. */
  private static boolean newer(String seen, String assumedFrom) {
    if (seen.length() != assumedFrom.length()) {
      return seen.length() > assumedFrom.length();
    }
    return seen.compareTo(assumedFrom) > 0;
  }
}
