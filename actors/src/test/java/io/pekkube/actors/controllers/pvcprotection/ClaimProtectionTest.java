package io.pekkube.actors.controllers.pvcprotection;

import static io.pekkube.actors.scheduler.Fixtures.claim;
import static io.pekkube.actors.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.controllers.pvcprotection.ClaimProtection.PodVolumes;
import io.pekkube.actors.scheduler.Fixtures.PodBuilder;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Given a claim and the pods of the cluster, one sync writes exactly this claim, or nothing. */
class ClaimProtectionTest {
  private static final String PROTECTION = "kubernetes.io/pvc-protection";
  private static final String KEEP = "keeps the finalizer";
  private static final String REMOVE = "loses the finalizer";
  private static final String ADD = "gets the finalizer";

  private static ObjectNode protectedClaim(String name) {
    ObjectNode pvc = claim(name).json();
    ((ObjectNode) pvc.path("metadata")).putArray("finalizers").add(PROTECTION);
    return pvc;
  }

  private static ObjectNode deleted(ObjectNode pvc) {
    ((ObjectNode) pvc.path("metadata")).put("deletionTimestamp", "2026-01-01T00:00:00Z");
    return pvc;
  }

  private static PodBuilder running(String name) {
    return pod(name).nodeName("n1").phase("Running");
  }

  /** Deleted with no grace left: the kubelet is done with it. */
  private static PodBuilder shutDown(PodBuilder pod) {
    ObjectNode meta = (ObjectNode) pod.terminating().json().path("metadata");
    meta.put("deletionGracePeriodSeconds", 0);
    return pod;
  }

  static Stream<Arguments> table() {
    PodBuilder elsewhere = running("other").claimVolume("data");
    ((ObjectNode) elsewhere.json().path("metadata")).put("namespace", "prod");
    ObjectNode ephemeralClaim = deleted(protectedClaim("web-scratch"));
    ((ObjectNode) ephemeralClaim.path("metadata")).putArray("ownerReferences").addObject().put("apiVersion", "v1")
        .put("kind", "Pod").put("name", "web").put("uid", "uid-web").put("controller", true);
    ObjectNode strangersClaim = deleted(protectedClaim("web-scratch"));
    ((ObjectNode) strangersClaim.path("metadata")).putArray("ownerReferences").addObject().put("apiVersion", "v1")
        .put("kind", "Pod").put("name", "web").put("uid", "uid-of-an-earlier-web").put("controller", true);
    return Stream.of(
        // the claim, the pods, what the sync does
        Arguments.of("a new claim without protection", claim("data").json(), List.of(), ADD),
        Arguments.of("a protected claim", protectedClaim("data"), List.of(running("web").claimVolume("data")), KEEP),
        Arguments.of("a deleted claim a running pod uses", deleted(protectedClaim("data")),
            List.of(running("web").claimVolume("data")), KEEP),
        Arguments.of("a deleted claim a finished pod still names (it goes with the pod object)",
            deleted(protectedClaim("data")), List.of(running("job").claimVolume("data").phase("Succeeded")), KEEP),
        Arguments.of("a deleted claim a terminating pod uses", deleted(protectedClaim("data")),
            List.of(running("web").claimVolume("data").terminating()), KEEP),
        Arguments.of("a deleted claim no pod uses", deleted(protectedClaim("data")),
            List.of(running("web").claimVolume("logs")), REMOVE),
        Arguments.of("a deleted claim only an unscheduled pod names", deleted(protectedClaim("data")),
            List.of(pod("pending").claimVolume("data")), REMOVE),
        Arguments.of("a deleted claim a pod of another namespace names", deleted(protectedClaim("data")),
            List.of(elsewhere), REMOVE),
        Arguments.of("a deleted claim of an ephemeral volume of its running pod", ephemeralClaim,
            List.of(running("web").ephemeralVolume("scratch")), KEEP),
        Arguments.of("a deleted claim of an ephemeral volume of its pod, shut down", ephemeralClaim,
            List.of(shutDown(running("web").ephemeralVolume("scratch"))), REMOVE),
        Arguments.of("a deleted claim of an ephemeral volume's name, made for another pod", strangersClaim,
            List.of(running("web").ephemeralVolume("scratch")), REMOVE),
        Arguments.of("a deleted claim without protection", deleted(claim("data").json()), List.of(), KEEP));
  }

  @ParameterizedTest(name = "{0}: {3}")
  @MethodSource("table")
  void oneSyncOfAClaim(String what, ObjectNode claim, List<PodBuilder> pods, String expected) {
    List<PodVolumes> volumes = pods.stream().map(p -> PodVolumes.of(p.json())).toList();
    Optional<ClaimProtection.Update> update = ClaimProtection.decide(claim, volumes);
    switch (expected) {
      case KEEP -> assertEquals(Optional.empty(), update);
      case REMOVE -> {
        assertEquals(true, update.orElseThrow().removesFinalizer());
        ObjectNode without = claim.deepCopy();
        ((ObjectNode) without.path("metadata")).remove("finalizers");
        assertEquals(without, update.get().claim());
      }
      default -> {
        assertEquals(false, update.orElseThrow().removesFinalizer());
        assertEquals("[\"" + PROTECTION + "\"]", Json.write(update.get().claim().path("metadata").path("finalizers")));
      }
    }
    update.ifPresent(u -> assertEquals(Optional.empty(), ClaimProtection.decide(u.claim(), volumes),
        "the sync run again on its result does nothing"));
  }

  @Test
  void removingTheFinalizerKeepsTheOthersAndTheirOrder() {
    ObjectNode pvc = deleted(claim("data").json());
    ((ObjectNode) pvc.path("metadata")).putArray("finalizers").add("example.com/a").add(PROTECTION)
        .add("example.com/b");
    ObjectNode next = ClaimProtection.decide(pvc, List.of()).orElseThrow().claim();
    assertEquals("[\"example.com/a\",\"example.com/b\"]", Json.write(next.path("metadata").path("finalizers")));
    assertEquals(PROTECTION, pvc.path("metadata").path("finalizers").path(1).asText(), "the view is not changed");
  }

  @Test
  void aPodNamesTheClaimsOfItsVolumesAndItsEphemeralVolumes() {
    PodVolumes pod = PodVolumes.of(running("web").claimVolume("data").ephemeralVolume("scratch").json());
    assertEquals(List.of("default/data", "default/web-scratch"), pod.claimKeys());
    assertNull(PodVolumes.of(running("plain").json()), "a pod without claims is not kept");
  }
}
