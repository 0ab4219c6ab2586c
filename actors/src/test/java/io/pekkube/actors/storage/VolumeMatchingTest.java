package io.pekkube.actors.storage;

import static io.pekkube.actors.scheduler.Fixtures.claim;
import static io.pekkube.actors.scheduler.Fixtures.node;
import static io.pekkube.actors.scheduler.Fixtures.volume;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkube.actors.scheduler.Fixtures.ClaimBuilder;
import io.pekkube.actors.scheduler.Fixtures.VolumeBuilder;
import io.pekkube.actors.scheduler.framework.ClaimInfo;
import io.pekkube.actors.scheduler.framework.NodeInfo;
import io.pekkube.actors.scheduler.framework.VolumeInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The claim a volume goes to, on the volume controller's path and on the scheduler's. */
class VolumeMatchingTest {

  /** A claim, the volumes there are, whether its class waits for the first consumer, and the volume it gets. */
  record Row(String name, ClaimBuilder claim, List<VolumeBuilder> volumes, boolean delayBinding, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Row row(String name, ClaimBuilder claim, boolean delay, String expected, VolumeBuilder... volumes) {
    return new Row(name, claim, Arrays.asList(volumes), delay, expected);
  }

  static Stream<Row> controllerRows() {
    return Stream.of(
        row("no volumes", claim("data"), false, null),
        row("the only available volume", claim("data"), false, "pv1", volume("pv1")),
        row("the smallest that fits, not the first", claim("data").request("5Gi"), false, "mid",
            volume("big").capacity("100Gi"), volume("mid").capacity("5Gi"), volume("small").capacity("1Gi")),
        row("too small", claim("data").request("20Gi"), false, null, volume("pv1")),
        row("a request of 1500Mi fits 2Gi, not 1Gi", claim("data").request("1500Mi"), false, "two",
            volume("one").capacity("1Gi"), volume("two").capacity("2Gi")),
        row("another class", claim("data").storageClass("fast"), false, null, volume("pv1").storageClass("slow")),
        row("the claim's class", claim("data").storageClass("fast"), false, "fast",
            volume("slow").storageClass("slow"), volume("fast").storageClass("fast")),
        row("a claim without class takes only volumes without class", claim("data"), false, null,
            volume("pv1").storageClass("fast")),
        row("a volume still Pending is not taken", claim("data"), false, null, volume("pv1").phase("Pending")),
        row("a Released volume is not taken", claim("data"), false, null, volume("pv1").phase("Released")),
        row("a volume claimed by another claim", claim("data"), false, null, volume("pv1").claimRef("other", "u")),
        row("missing access mode", claim("data").accessModes("ReadWriteMany"), false, null, volume("pv1")),
        row("the fewest access modes that cover the claim, before a smaller volume with more", claim("data"), false,
            "rwo", volume("rwo-rwx").capacity("1Gi").accessModes("ReadWriteOnce", "ReadWriteMany"),
            volume("rwo").capacity("5Gi")),
        row("a volume with more modes when none has exactly the claim's", claim("data").accessModes("ReadOnlyMany"),
            false, "both", volume("rwo"), volume("both").accessModes("ReadWriteOnce", "ReadOnlyMany")),
        row("the label selector", claim("data").selector("tier", "db"), false, "db",
            volume("web").label("tier", "web").capacity("1Gi"), volume("db").label("tier", "db")),
        row("a different volume mode", claim("data").volumeMode("Block"), false, null, volume("pv1")),
        row("the same block mode", claim("data").volumeMode("Block"), false, "pv1", volume("pv1").volumeMode("Block")),
        row("a volume being deleted", claim("data"), false, null, volume("pv1").deleting()),
        row("pre-bound by the user to this claim wins over a smaller one", claim("data"), false, "reserved",
            volume("small").capacity("1Gi"), volume("reserved").capacity("50Gi").claimRef("data", "")),
        row("pre-bound to this claim whatever its phase and class", claim("data").storageClass("fast"), false,
            "reserved", volume("reserved").claimRef("data", "uid-data").phase("Bound").storageClass("slow")),
        row("pre-bound to the claim's former incarnation (another uid)", claim("data"), false, null,
            volume("old").claimRef("data", "uid-of-a-deleted-claim")),
        row("pre-bound but too small", claim("data").request("20Gi"), false, null,
            volume("reserved").claimRef("data", "")),
        row("WaitForFirstConsumer: the controller leaves unbound volumes to the scheduler", claim("data"), true, null,
            volume("pv1")),
        row("WaitForFirstConsumer: a volume the scheduler gave the claim is bound by the controller", claim("data"),
            true, "chosen", volume("free"), volume("chosen").claimRef("data", "uid-data")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("controllerRows")
  void theVolumeControllerBindsTheBestMatch(Row row) {
    VolumeInfo best = VolumeMatching.findBestMatchForClaim(ClaimInfo.of(row.claim().json()),
        row.volumes().stream().map(v -> VolumeInfo.of(v.json())).toList(), row.delayBinding());
    assertEquals(row.expected(), best == null ? null : best.name());
  }

  static Stream<Row> schedulerRows() {
    return Stream.of(
        row("a volume the node cannot reach", claim("data"), false, null, volume("local").onNodes("n2")),
        row("the node's local volume", claim("data"), false, "local",
            volume("elsewhere").onNodes("n2").capacity("1Gi"), volume("local").onNodes("n1")),
        row("pre-bound to the claim but on another node: none", claim("data"), false, null,
            volume("reserved").claimRef("data", "").onNodes("n2"), volume("free")),
        row("an excluded volume (taken by another claim of the pod)", claim("data"), false, "other",
            volume("taken").capacity("1Gi"), volume("other")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schedulerRows")
  void theSchedulerFindsAVolumeTheNodeReaches(Row row) {
    NodeInfo n1 = NodeInfo.of(node("n1").json());
    VolumeInfo found = VolumeMatching.findMatchingVolume(ClaimInfo.of(row.claim().json()),
        row.volumes().stream().map(v -> VolumeInfo.of(v.json())).toList(), n1, Set.of("taken"), false);
    assertEquals(row.expected(), found == null ? null : found.name());
  }
}
