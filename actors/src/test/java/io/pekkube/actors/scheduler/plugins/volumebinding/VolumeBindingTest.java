package io.pekkube.actors.scheduler.plugins.volumebinding;

import static io.pekkube.actors.scheduler.Fixtures.claim;
import static io.pekkube.actors.scheduler.Fixtures.node;
import static io.pekkube.actors.scheduler.Fixtures.pod;
import static io.pekkube.actors.scheduler.Fixtures.storageClass;
import static io.pekkube.actors.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.scheduler.Fixtures;
import io.pekkube.actors.scheduler.cache.VolumeCache;
import io.pekkube.actors.scheduler.framework.ClaimInfo;
import io.pekkube.actors.scheduler.framework.Framework;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.PodInfo;
import io.pekkube.actors.scheduler.framework.Snapshot;
import io.pekkube.actors.scheduler.framework.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumeBindingTest {
  private static final String WAIT = "WaitForFirstConsumer";
  private static final NodeInfo N1 = node("n1").label("zone", "a").build();
  private static final NodeInfo N2 = node("n2").label("zone", "b").build();
  private static final Snapshot NODES = Snapshot.of(List.of(N1, N2));

  /** A cache holding these claims, volumes and classes (told apart by kind). */
  private static VolumeCache cacheOf(ObjectNode... objects) {
    VolumeCache cache = new VolumeCache();
    for (ObjectNode o : objects) {
      cache.upsert(switch (o.path("kind").asText()) {
        case "PersistentVolumeClaim" -> BuiltinTypes.PERSISTENT_VOLUME_CLAIM;
        case "PersistentVolume" -> BuiltinTypes.PERSISTENT_VOLUME;
        default -> BuiltinTypes.STORAGE_CLASS;
      }, o);
    }
    return cache;
  }

  record PreFilterRow(String name, PodInfo pod, VolumeCache cache, Status.Code code, String reason) {}

  @Test
  void preFilterTable() {
    PodInfo usesData = pod("p").claimVolume("data").build();
    PodInfo ephemeral = pod("p").ephemeralVolume("scratch").build();
    for (PreFilterRow r : List.of(
        new PreFilterRow("no claims: the plugin skips the pod", pod("p").build(), cacheOf(), Status.Code.SKIP, null),
        new PreFilterRow("missing claim", usesData, cacheOf(), Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            "persistentvolumeclaim \"data\" not found"),
        new PreFilterRow("claim being deleted", usesData, cacheOf(claim("data").boundTo("pv1").deleting().json()),
            Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "persistentvolumeclaim \"data\" is being deleted"),
        new PreFilterRow("claim lost its volume", usesData, cacheOf(claim("data").volumeName("pv1").phase("Lost").json()),
            Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            "persistentvolumeclaim \"data\" bound to non-existent persistentvolume \"pv1\""),
        new PreFilterRow("unbound, no class", usesData, cacheOf(claim("data").json()),
            Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "pod has unbound immediate PersistentVolumeClaims"),
        new PreFilterRow("unbound, Immediate class", usesData, cacheOf(claim("data").storageClass("fast").json(),
            storageClass("fast", "Immediate", "")), Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            "pod has unbound immediate PersistentVolumeClaims"),
        new PreFilterRow("unbound, class missing", usesData, cacheOf(claim("data").storageClass("gone").json()),
            Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "pod has unbound immediate PersistentVolumeClaims"),
        new PreFilterRow("pre-bound by name: the volume controller's to bind", usesData, cacheOf(
            claim("data").storageClass("local").volumeName("pv1").json(), storageClass("local", WAIT, "")),
            Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "pod has unbound immediate PersistentVolumeClaims"),
        new PreFilterRow("unbound, WaitForFirstConsumer", usesData, cacheOf(claim("data").storageClass("local").json(),
            storageClass("local", WAIT, "")), Status.Code.SUCCESS, null),
        new PreFilterRow("bound", usesData, cacheOf(claim("data").boundTo("pv1").json()), Status.Code.SUCCESS, null),
        new PreFilterRow("ephemeral claim not created yet", ephemeral, cacheOf(),
            Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            "waiting for ephemeral volume controller to create the persistentvolumeclaim \"p-scratch\""),
        new PreFilterRow("ephemeral claim of another pod", ephemeral, cacheOf(claim("p-scratch").ownedBy("uid-other")
            .storageClass("local").json(), storageClass("local", WAIT, "")), Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            "PVC default/p-scratch was not created for pod default/p (pod is not owner)"),
        new PreFilterRow("ephemeral claim of this pod", ephemeral, cacheOf(claim("p-scratch").ownedBy("uid-p")
            .storageClass("local").json(), storageClass("local", WAIT, "")), Status.Code.SUCCESS, null))) {
      Status s = VolumeBinding.sortClaims(r.pod(), r.cache()).status();
      assertEquals(r.code(), s.code(), r.name());
      if (r.reason() != null) {
        assertEquals(List.of(r.reason()), s.reasons(), r.name());
      }
    }
  }

  record FilterRow(String name, PodInfo pod, VolumeCache cache, String onN1, String onN2) {}

  @Test
  void filterTable() {
    PodInfo p = pod("p").claimVolume("data").build();
    ObjectNode local = storageClass("local", WAIT, "");
    ObjectNode wffc = claim("data").storageClass("local").json();
    String ok = "";
    String nodeConflict = VolumeBinding.ERR_REASON_NODE_CONFLICT;
    String bindConflict = VolumeBinding.ERR_REASON_BIND_CONFLICT;
    for (FilterRow r : List.of(
        new FilterRow("bound volume without node affinity", p, cacheOf(claim("data").boundTo("pv1").json(),
            volume("pv1").json()), ok, ok),
        new FilterRow("bound local volume", p, cacheOf(claim("data").boundTo("pv1").json(),
            volume("pv1").onNodes("n1").json()), ok, nodeConflict),
        new FilterRow("bound to a volume that does not exist", p, cacheOf(claim("data").boundTo("pv1").json()),
            VolumeBinding.ERR_REASON_PV_NOT_EXIST, VolumeBinding.ERR_REASON_PV_NOT_EXIST),
        new FilterRow("an available local volume", p, cacheOf(wffc, local,
            volume("pv1").storageClass("local").onNodes("n1").json()), ok, bindConflict),
        new FilterRow("a volume of another class", p, cacheOf(wffc, local,
            volume("pv1").storageClass("other").json()), bindConflict, bindConflict),
        new FilterRow("a volume too small", p, cacheOf(claim("data").storageClass("local").request("20Gi").json(), local,
            volume("pv1").storageClass("local").json()), bindConflict, bindConflict),
        new FilterRow("a volume without the access mode", p, cacheOf(claim("data").storageClass("local")
            .accessModes("ReadWriteMany").json(), local, volume("pv1").storageClass("local").json()),
            bindConflict, bindConflict),
        new FilterRow("a volume claimed by another claim", p, cacheOf(wffc, local,
            volume("pv1").storageClass("local").claimRef("other", "uid-other").json()), bindConflict, bindConflict),
        new FilterRow("a volume pre-bound to this claim", p, cacheOf(wffc, local,
            volume("pv1").storageClass("local").claimRef("data", "").onNodes("n2").json()), bindConflict, ok),
        new FilterRow("a released volume", p, cacheOf(wffc, local,
            volume("pv1").storageClass("local").phase("Released").json()), bindConflict, bindConflict),
        new FilterRow("no volume, a class without a provisioner", p, cacheOf(wffc, local), bindConflict, bindConflict),
        new FilterRow("no volume, a provisioner", p, cacheOf(claim("data").storageClass("csi").json(),
            storageClass("csi", WAIT, "csi.example.com")), ok, ok),
        new FilterRow("a provisioner for zone a only", p, cacheOf(claim("data").storageClass("csi").json(),
            storageClass("csi", WAIT, "csi.example.com", "zone", "a")), ok, bindConflict),
        new FilterRow("being provisioned for n2", p, cacheOf(claim("data").storageClass("csi").selectedNode("n2").json(),
            storageClass("csi", WAIT, "csi.example.com")), bindConflict, ok))) {
      VolumeBinding.Claims claims = VolumeBinding.sortClaims(r.pod(), r.cache()).claims();
      assertEquals(r.onN1(), String.join(", ", VolumeBinding.findPodVolumes(claims, N1, r.cache()).status().reasons()),
          r.name() + " on n1");
      assertEquals(r.onN2(), String.join(", ", VolumeBinding.findPodVolumes(claims, N2, r.cache()).status().reasons()),
          r.name() + " on n2");
    }
  }

  @Test
  void eachClaimGetsTheSmallestVolumeThatFitsAndNoVolumeTwice() {
    VolumeCache cache = cacheOf(storageClass("local", WAIT, ""), claim("small").storageClass("local").json(),
        claim("big").storageClass("local").request("8Gi").json(), volume("pv-20").storageClass("local")
            .capacity("20Gi").json(), volume("pv-9").storageClass("local").capacity("9Gi").json());
    PodInfo p = pod("p").claimVolume("big").claimVolume("small").build();
    VolumeBinding.Found found = VolumeBinding.findPodVolumes(VolumeBinding.sortClaims(p, cache).claims(), N1, cache);
    assertTrue(found.status().isSuccess());
    assertEquals(List.of("small->pv-9", "big->pv-20"), found.volumes().staticBindings().stream()
        .map(b -> b.claim().name() + "->" + b.volume().name()).toList(), "smallest request first, smallest volume");
  }

  @Test
  void fitErrorSummarizesTheNodes() {
    VolumeCache pinned = cacheOf(claim("data").boundTo("pv1").json(), volume("pv1").onNodes("n3").json());
    Framework f = Fixtures.defaultFramework(pinned);
    Framework.Result r = f.schedule(pod("p").claimVolume("data").build(), List.of(N1, N2));
    assertEquals("0/2 nodes are available: 2 node(s) had volume node affinity conflict.",
        ((Framework.Unschedulable) r).error().message());
    VolumeCache immediate = cacheOf(claim("data").json());
    Framework.Result pre = Fixtures.defaultFramework(immediate).schedule(pod("p").claimVolume("data").build(),
        List.of(N1, N2));
    assertEquals("0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.",
        ((Framework.Unschedulable) pre).error().message());
    VolumeCache none = cacheOf(claim("data").storageClass("local").json(), storageClass("local", WAIT, ""));
    Framework.Result unbound = Fixtures.defaultFramework(none).schedule(pod("p").claimVolume("data").build(),
        List.of(N1, N2));
    assertEquals("0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind.",
        ((Framework.Unschedulable) unbound).error().message());
  }

  @Test
  void theLocalVolumesNodeIsChosen() {
    VolumeCache cache = cacheOf(claim("data").storageClass("local").json(), storageClass("local", WAIT, ""),
        volume("pv1").storageClass("local").onNodes("n2").json());
    Framework f = Fixtures.defaultFramework(cache);
    assertEquals("n2", ((Framework.Selected) f.schedule(pod("p").claimVolume("data").build(), List.of(N1, N2)))
        .nodeName());
  }

  @Test
  void aReservedVolumeIsNotChosenAgainUntilUnreserved() {
    VolumeCache cache = cacheOf(storageClass("local", WAIT, ""), claim("a").storageClass("local").json(),
        claim("b").storageClass("local").json(), volume("pv1").storageClass("local").onNodes("n1").json());
    VolumeBinding plugin = new VolumeBinding(cache, null);
    PodInfo first = pod("first").claimVolume("a").build();
    PodInfo second = pod("second").claimVolume("b").build();
    assertTrue(plugin.preFilter(first, NODES).isSuccess());
    assertTrue(plugin.filter(first, N1).isSuccess());
    assertTrue(plugin.reserve(first, "n1").isSuccess());
    assertEquals("a", cache.volume("pv1").claimRef().name(), "assumed: pv1 is a's");
    assertTrue(plugin.preFilter(second, NODES).isSuccess());
    assertEquals(List.of(VolumeBinding.ERR_REASON_BIND_CONFLICT), plugin.filter(second, N1).reasons());
    plugin.unreserve(first, "n1");
    assertNull(cache.volume("pv1").claimRef(), "the binding failed: pv1 is free again");
    assertTrue(plugin.preFilter(second, NODES).isSuccess());
    assertTrue(plugin.filter(second, N1).isSuccess());
  }

  @Test
  void aClaimToProvisionIsAssumedWithItsNode() {
    VolumeCache cache = cacheOf(claim("data").storageClass("csi").json(), storageClass("csi", WAIT, "csi.example.com"));
    VolumeBinding plugin = new VolumeBinding(cache, null);
    PodInfo p = pod("p").claimVolume("data").build();
    plugin.preFilter(p, NODES);
    plugin.filter(p, N1);
    plugin.reserve(p, "n1");
    assertEquals("n1", cache.claim("default", "data").selectedNode());
    PodInfo other = pod("q").claimVolume("data").build();
    plugin.preFilter(other, NODES);
    assertEquals(List.of(VolumeBinding.ERR_REASON_BIND_CONFLICT), plugin.filter(other, N2).reasons(),
        "a claim being provisioned on n1 keeps its other pods off n2");
  }

  @Test
  void aClaimToProvisionIsWrittenWithItsNode() {
    ClaimInfo data = ClaimInfo.of(claim("data").storageClass("csi").json());
    assertEquals("n1", VolumeBinder.claimWithSelectedNode(data.object(), "n1").path("metadata").path("annotations")
        .path("volume.kubernetes.io/selected-node").asText());
    assertTrue(data.object().path("metadata").path("annotations").isMissingNode(), "the cached claim is not touched");
  }
}
