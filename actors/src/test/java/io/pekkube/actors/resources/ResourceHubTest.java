package io.pekkube.actors.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.typesafe.config.ConfigFactory;
import io.pekkube.actors.api.ObjectKey;
import io.pekkube.actors.resources.ObjectWrites.ChangeKind;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The hub releases changes strictly in revision order, whatever order their entities report in. */
class ResourceHubTest {
  private static final ActorTestKit KIT = ActorTestKit.create(
      EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  private static final HubSettings SETTINGS = new HubSettings(100, 1000, Duration.ofMillis(300),
      Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofMillis(100));
  private static final ObjectLoader EMPTY = (resource, receiver) -> CompletableFuture.completedFuture(Done.getInstance());
  private static int hubs;

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  private record Hub(ActorRef<ResourceHub.Command> ref, TestProbe<ResourceEntity.ResolveRevision> resolver) {}

  private static Hub hub() {
    TestProbe<ResourceEntity.ResolveRevision> resolver = KIT.createTestProbe();
    ActorRef<ResourceHub.Command> ref = KIT.spawn(ResourceHub.create("configmaps-" + (++hubs), SETTINGS, EMPTY,
        (key, msg) -> resolver.ref().tell(msg)));
    return new Hub(ref, resolver);
  }

  private static long allocate(Hub hub, ObjectKey key) {
    TestProbe<ResourceHub.Allocated> probe = KIT.createTestProbe();
    hub.ref().tell(new ResourceHub.Allocate(key, probe.ref()));
    return probe.receiveMessage().revision();
  }

  private static String object(String name, long rev) {
    return "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"ns\",\"resourceVersion\":\"" + rev + "\"}}";
  }

  private static ObjectKey key(String name) {
    return new ObjectKey("configmaps", "ns", name);
  }

  @Test
  void changesAreReleasedInRevisionOrderAndAbortedRevisionsAreSkipped() {
    Hub hub = hub();
    TestProbe<ResourceHub.WatchEvent> watcher = KIT.createTestProbe();
    hub.ref().tell(new ResourceHub.Subscribe(ObjectFilter.all("ConfigMap"), "0", false, false, watcher.ref()));
    assertInstanceOf(ResourceHub.Subscribed.class, watcher.receiveMessage());
    long a = allocate(hub, key("a"));
    long b = allocate(hub, key("b"));
    long c = allocate(hub, key("c"));
    hub.ref().tell(new ResourceHub.Committed(c, key("c"), ChangeKind.ADDED, object("c", c)));
    hub.ref().tell(new ResourceHub.Aborted(b));
    watcher.expectNoMessage(Duration.ofMillis(200));
    hub.ref().tell(new ResourceHub.Committed(a, key("a"), ChangeKind.ADDED, object("a", a)));
    assertEquals(new ResourceHub.Change("ADDED", object("a", a), a), watcher.receiveMessage());
    assertEquals(new ResourceHub.Change("ADDED", object("c", c), c), watcher.receiveMessage());
  }

  @Test
  void anUnreportedRevisionIsResolvedByAskingItsEntity() {
    Hub hub = hub();
    long a = allocate(hub, key("a"));
    ResourceEntity.ResolveRevision ask = hub.resolver().receiveMessage(Duration.ofSeconds(3));
    assertEquals(a, ask.revision());
    ask.replyTo().tell(new ResourceHub.Aborted(a));
    TestProbe<ResourceHub.HubStatus> status = KIT.createTestProbe();
    hub.ref().tell(new ResourceHub.GetStatus(status.ref()));
    assertEquals(a, status.receiveMessage().released());
  }

  @Test
  void aListWaitsUntilEveryEarlierAllocationIsSettled() {
    Hub hub = hub();
    long a = allocate(hub, key("a"));
    TestProbe<ResourceHub.ListResult> lister = KIT.createTestProbe();
    hub.ref().tell(new ResourceHub.ListObjects(ObjectFilter.all("ConfigMap"), "", false, 0, "", lister.ref()));
    lister.expectNoMessage(Duration.ofMillis(150));
    hub.ref().tell(new ResourceHub.Committed(a, key("a"), ChangeKind.ADDED, object("a", a)));
    ResourceHub.Listed listed = assertInstanceOf(ResourceHub.Listed.class, lister.receiveMessage());
    assertEquals(a, listed.resourceVersion());
    assertEquals(1, listed.items().size());
  }

  @Test
  void aWriteOfThePreviousIncarnationThatCommitsLateStillReachesTheCache() {
    String name = "late-" + (++hubs);
    TestProbe<ResourceEntity.ResolveRevision> resolver = KIT.createTestProbe();
    ActorRef<ResourceHub.Command> first = KIT.spawn(ResourceHub.create(name, SETTINGS, EMPTY, (k, m) -> { }));
    long a = allocate(new Hub(first, resolver), key("a"));
    KIT.stop(first);
    ActorRef<ResourceHub.Command> second = KIT.spawn(ResourceHub.create(name, SETTINGS, EMPTY, (k, m) -> { }));
    allocate(new Hub(second, resolver), key("b")); // the second incarnation is up
    second.tell(new ResourceHub.Committed(a, key("a"), ChangeKind.ADDED, object("a", a)));
    TestProbe<ResourceHub.ListResult> lister = KIT.createTestProbe();
    second.tell(new ResourceHub.ListObjects(ObjectFilter.all("ConfigMap"), "0", false, 0, "", lister.ref()));
    ResourceHub.Listed listed = assertInstanceOf(ResourceHub.Listed.class, lister.receiveMessage());
    assertEquals(java.util.List.of(object("a", a)), listed.items());
  }

  @Test
  void aRestartedHubContinuesAboveEveryRevisionItCouldHaveHandedOut() {
    String name = "restart-" + (++hubs);
    TestProbe<ResourceEntity.ResolveRevision> resolver = KIT.createTestProbe();
    ActorRef<ResourceHub.Command> first = KIT.spawn(ResourceHub.create(name, SETTINGS, EMPTY, (k, m) -> { }));
    long a = allocate(new Hub(first, resolver), key("a"));
    KIT.stop(first);
    ActorRef<ResourceHub.Command> second = KIT.spawn(ResourceHub.create(name, SETTINGS, EMPTY, (k, m) -> { }));
    long b = allocate(new Hub(second, resolver), key("b"));
    // The first incarnation reserved revisions up to one block; the second starts above all of them.
    assertEquals(true, b > SETTINGS.revisionBlock() && b > a, "revision " + b + " after " + a);
  }

  @Test
  void aFreshHubNeverReportsRevisionZeroWhichClientsReadAsAny() {
    ActorRef<ResourceHub.Command> hub = KIT.spawn(ResourceHub.create("fresh-" + (++hubs), SETTINGS, EMPTY,
        (k, m) -> { }));
    TestProbe<ResourceHub.ListResult> lister = KIT.createTestProbe();
    hub.tell(new ResourceHub.ListObjects(ObjectFilter.all("ConfigMap"), "", false, 0, "", lister.ref()));
    ResourceHub.Listed listed = assertInstanceOf(ResourceHub.Listed.class, lister.receiveMessage());
    assertEquals(true, listed.resourceVersion() > 0, "an empty type lists at " + listed.resourceVersion());
  }

  @Test
  void aMovedHubHandsOutRevisionsWhileItLoadsAndReleasesTheirChangesAfterTheLoadedHistory() {
    String name = "loading-" + (++hubs);
    TestProbe<ResourceEntity.ResolveRevision> resolver = KIT.createTestProbe();
    ActorRef<ResourceHub.Command> first = KIT.spawn(ResourceHub.create(name, SETTINGS, EMPTY, (k, m) -> { }));
    long a = allocate(new Hub(first, resolver), key("a"));
    first.tell(new ResourceHub.Committed(a, key("a"), ChangeKind.ADDED, object("a", a)));
    KIT.stop(first);

    // The next incarnation's load of the journal finishes only when the test says so.
    CompletableFuture<ObjectLoader.Receiver> loading = new CompletableFuture<>();
    CompletableFuture<Done> loaded = new CompletableFuture<>();
    ObjectLoader slow = (resource, receiver) -> {
      loading.complete(receiver);
      return loaded;
    };
    ActorRef<ResourceHub.Command> second = KIT.spawn(ResourceHub.create(name, SETTINGS, slow, (k, m) -> { }));
    long b = allocate(new Hub(second, resolver), key("a")); // answered although the cache is not loaded
    TestProbe<ResourceHub.WatchEvent> watcher = KIT.createTestProbe();
    second.tell(new ResourceHub.Subscribe(ObjectFilter.all("ConfigMap"), String.valueOf(a), false, false,
        watcher.ref()));
    second.tell(new ResourceHub.Committed(b, key("a"), ChangeKind.MODIFIED, object("a", b)));
    watcher.expectNoMessage(Duration.ofMillis(100));
    // The journal already holds the new write when it is read: it must still be released once, as a change of "a".
    loading.join().object(key("a"), java.util.List.of(
        new ResourceEntity.ObjectCreated(a, object("a", a), java.time.Instant.now(), "test"),
        new ResourceEntity.ObjectUpdated(b, object("a", b), java.time.Instant.now(), "test")));
    loaded.complete(Done.getInstance());

    assertInstanceOf(ResourceHub.Subscribed.class, watcher.receiveMessage());
    assertEquals(new ResourceHub.Change("MODIFIED", object("a", b), b), watcher.receiveMessage());
    watcher.expectNoMessage(Duration.ofMillis(200));
    TestProbe<ResourceHub.ListResult> lister = KIT.createTestProbe();
    second.tell(new ResourceHub.ListObjects(ObjectFilter.all("ConfigMap"), "", false, 0, "", lister.ref()));
    ResourceHub.Listed listed = assertInstanceOf(ResourceHub.Listed.class, lister.receiveMessage());
    assertEquals(java.util.List.of(object("a", b)), listed.items());
    assertEquals(b, listed.resourceVersion());
  }
}
