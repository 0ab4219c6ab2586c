package io.pekkube.actors.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ObjectKey;
import io.pekkube.actors.resources.ObjectWrites.ChangeKind;
import io.pekkube.persistence.serialization.ClusterMessage;
import io.pekkube.persistence.serialization.JournalEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The revision sequencer and watch hub of one resource type. It allocates revisions (persisting
 * only reservation blocks, so a restart jumps past every revision the last incarnation could have
 * handed out), tracks each allocation until its entity reports it committed or aborted, and
 * releases committed changes strictly in revision order into its watch cache (the current objects
 * of the type), a window of recent changes, and the watches. LISTs are answered from the cache as
 * a consistent snapshot at one revision; selectors run here, never against the journal.
 */
public final class ResourceHub extends EventSourcedBehavior<ResourceHub.Command, ResourceHub.Event, ResourceHub.State> {

  public record State(long reservedUpTo) implements JournalEvent {}

  public sealed interface Event extends JournalEvent permits RevisionsReserved {}

  public record RevisionsReserved(long upTo) implements Event {}

  public interface Command extends ClusterMessage {}

  public record Allocate(ObjectKey key, ActorRef<Allocated> replyTo) implements Command {}

  public record Allocated(long revision) implements ClusterMessage {}

  /** From an entity: the write with this revision is in the journal. */
  public record Committed(long revision, ObjectKey key, ChangeKind kind, String object) implements Command {}

  /** From an entity: this revision will never be written. */
  public record Aborted(long revision) implements Command {}

  /**
   * A LIST. {@code resourceVersion}: "" for the most recent state (waits until every write
   * acknowledged before the request is visible), "0" for any, else a revision; {@code exact}
   * asks for the state at exactly that revision.
   */
  public record ListObjects(ObjectFilter filter, String resourceVersion, boolean exact, long limit,
      String continueToken, ActorRef<ListResult> replyTo) implements Command {}

  public sealed interface ListResult extends ClusterMessage permits Listed, ListFailed {}

  /**
   * One page of a LIST. {@code sizeCapped} means the page stopped at {@link #MAX_PAGE_BYTES} before
   * the client's limit: the caller asks again with {@code continueToken} (see {@code ApiClient.list}),
   * so no single message outgrows what the cluster transport carries.
   */
  public record Listed(long resourceVersion, List<String> items, String continueToken, Long remainingItemCount,
      boolean sizeCapped) implements ListResult {}

  /** Bytes of objects in one LIST reply message; well under the transport's frame size. */
  public static final int MAX_PAGE_BYTES = 512 * 1024;

  public record ListFailed(ApiError error) implements ListResult {}

  /** A WATCH; events go to {@code sink} until it stops or sends {@link Unsubscribe}. */
  public record Subscribe(ObjectFilter filter, String resourceVersion, boolean bookmarks,
      boolean sendInitialEvents, ActorRef<WatchEvent> sink) implements Command {}

  public record Unsubscribe(ActorRef<WatchEvent> sink) implements Command {}

  public sealed interface WatchEvent extends ClusterMessage permits Change, Bookmark, WatchFailed, Subscribed {}

  /** One event of a watch; {@code revision} is the object's resourceVersion. */
  public record Change(String type, String object, long revision) implements WatchEvent {}

  /**
   * Sent after a subscription's initial events: the hub serving it (to watch for its moves) and the
   * revision the watch now continues after.
   */
  public record Subscribed(ActorRef<Command> hub, long from) implements WatchEvent {}

  public record Bookmark(long resourceVersion, boolean initialEventsEnd) implements WatchEvent {}

  public record WatchFailed(ApiError error) implements WatchEvent {}

  /** Test and ops probe: the hub's revision counters. */
  public record GetStatus(ActorRef<HubStatus> replyTo) implements Command {}

  public record HubStatus(long released, long nextRevision, int pending, int objects, long windowFloor)
      implements ClusterMessage {}

  private record Start() implements Command, LocalOnly {}

  private record Loaded(ObjectKey key, List<ResourceEntity.Event> events) implements Command, LocalOnly {}

  private record LoadFinished() implements Command, LocalOnly {}

  private record LoadFailed(String reason) implements Command, LocalOnly {}

  private record Tick() implements Command, LocalOnly {}

  private record SubscriberGone(ActorRef<WatchEvent> sink) implements Command, LocalOnly {}

  /** Messages a hub sends itself: never serialized, so exempt from serialization checks. */
  private interface LocalOnly extends org.apache.pekko.actor.NoSerializationVerificationNeeded {}

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "hub");

  public static void init(ActorSystem<?> system, HubSettings settings, ObjectLoader loader) {
    ClusterSharding sharding = ClusterSharding.get(system);
    ResourceEntity.Hubs hubs = (resource, msg) -> sharding.entityRefFor(ENTITY_KEY, resource).tell(msg);
    Resolver resolver = (key, msg) -> sharding.entityRefFor(ResourceEntity.ENTITY_KEY, key.entityId()).tell(msg);
    // A hub is never passivated: it is one per type, and its cache and watches are the point of it.
    // Passivated after an idle spell, a hub with watchers (controllers watch every type) would be
    // started again at once and rebuild its cache from the journal every couple of minutes.
    sharding.init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings, loader, resolver))
        .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy())
        .withRole(io.pekkube.actors.cluster.Roles.CONTROL_PLANE));
  }

  /** Asks an entity to settle a revision; sharding in production. */
  public interface Resolver {
    void tell(ObjectKey key, ResourceEntity.ResolveRevision message);
  }

  public static Behavior<Command> create(String resourceKey, HubSettings settings, ObjectLoader loader, Resolver resolver) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Tick(), settings.tick());
      return new ResourceHub(resourceKey, settings, loader, resolver, ctx);
    }));
  }

  private final String resourceKey;
  private final HubSettings settings;
  private final ObjectLoader loader;
  private final Resolver resolver;
  private final ActorContext<Command> ctx;

  // Runtime state, rebuilt on every start: none of it needs to survive a crash.
  /** The start's revision block is reserved: revisions can be handed out (before the cache is loaded). */
  private boolean started;
  private boolean loaded;
  private long nextRevision;
  private long released;
  private long windowFloor;
  /** Every revision at or below this was handed out by an earlier incarnation of this hub. */
  private long base;
  private final TreeMap<Long, Pending> pending = new TreeMap<>();
  private final TreeMap<String, Cached> cache = new TreeMap<>();
  private final ArrayDeque<Released> window = new ArrayDeque<>();
  private final List<Released> loadedChanges = new ArrayList<>();
  private final Map<ActorRef<WatchEvent>, Watcher> watchers = new HashMap<>();
  private final List<WaitingList> waitingLists = new ArrayList<>();
  private long lastBookmarkNanos = System.nanoTime();

  private ResourceHub(String resourceKey, HubSettings settings, ObjectLoader loader, Resolver resolver,
      ActorContext<Command> ctx) {
    super(PersistenceId.of(ENTITY_KEY.name(), resourceKey),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.resourceKey = resourceKey;
    this.settings = settings;
    this.loader = loader;
    this.resolver = resolver;
    this.ctx = ctx;
  }

  private record Pending(ObjectKey key, long deadlineNanos, Committed outcome, boolean aborted) {}

  /** One object in the watch cache. */
  private record Cached(long revision, String object) {}

  /** One released change in the window: the object after it and before it (null when absent). */
  private record Released(long revision, ChangeKind kind, String sortKey, String object, String previous,
      long previousRevision) {}

  private record Watcher(ObjectFilter.Compiled filter, long from, boolean bookmarks) {}

  private record WaitingList(ListObjects request, long target, long sinceNanos) {}

  @Override
  public State emptyState() {
    return new State(0);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> ctx.getSelf().tell(new Start()))
        .build();
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Start.class, this::onStart)
        .onCommand(Loaded.class, this::onLoaded)
        .onCommand(LoadFinished.class, this::onLoadFinished)
        .onCommand(LoadFailed.class, (s, c) -> {
          throw new IllegalStateException("loading the watch cache of " + resourceKey + " failed: " + c.reason());
        })
        .onCommand(Tick.class, this::onTick)
        .onCommand(SubscriberGone.class, (s, c) -> {
          watchers.remove(c.sink());
          return Effect().none();
        })
        .onCommand(Unsubscribe.class, (s, c) -> {
          watchers.remove(c.sink());
          return Effect().none();
        })
        .onAnyCommand(this::whenLoaded);
  }

  private Effect<Event, State> whenLoaded(State state, Command cmd) {
    if (!loaded) {
      // Handing out revisions needs only the reserved block, not the cache: writes go on while a
      // moved hub reloads its type (seconds for thousands of objects), which is most of a failover
      // otherwise. Their outcomes wait in the stash and are released after the loaded history, so
      // each change is still released in revision order against the object's previous state.
      if (started && cmd instanceof Allocate a) {
        return onAllocate(state, a);
      }
      return Effect().stash();
    }
    if (cmd instanceof Allocate a) {
      return onAllocate(state, a);
    } else if (cmd instanceof Committed c) {
      settle(c.revision(), c, false);
    } else if (cmd instanceof Aborted a) {
      settle(a.revision(), null, true);
    } else if (cmd instanceof ListObjects l) {
      onList(l);
    } else if (cmd instanceof Subscribe s) {
      onSubscribe(s);
    } else if (cmd instanceof GetStatus g) {
      g.replyTo().tell(new HubStatus(released, nextRevision, pending.size(), cache.size(), windowFloor));
    }
    return Effect().none();
  }

  // ---- start and cache loading ----

  private Effect<Event, State> onStart(State state, Start start) {
    long base = state.reservedUpTo();
    return Effect().persist(new RevisionsReserved(base + settings.revisionBlock())).thenRun(s -> {
      this.base = base;
      started = true;
      // Never report "0": to Kubernetes clients a resourceVersion of 0 means "any", so a watch from an
      // empty type's LIST revision would replay current objects instead of resuming (or answering 410).
      released = Math.max(base, 1);
      nextRevision = released + 1;
      windowFloor = base;
      ctx.pipeToSelf(
          loader.load(resourceKey, (key, events) -> ctx.getSelf().tell(new Loaded(key, events))),
          (done, failure) -> failure == null ? new LoadFinished() : new LoadFailed(String.valueOf(failure)));
    }).thenUnstashAll(); // allocations that came before the start; the rest is stashed again until loaded
  }

  /**
   * Replays one object's history up to this incarnation's first revision: its last state into the
   * cache, each change into the window. Later changes were allocated by this incarnation; they are
   * released from their entities' reports, which wait in the stash until the load is finished.
   */
  private Effect<Event, State> onLoaded(State state, Loaded l) {
    String sortKey = l.key().sortKey();
    ResourceEntity.State object = ResourceEntity.State.EMPTY;
    for (ResourceEntity.Event e : l.events()) {
      if (e.revision() > base) {
        break; // an object's events come in revision order
      }
      ResourceEntity.State next = ResourceEntity.apply(object, e);
      if (!(e instanceof ResourceEntity.RevisionFenced)) {
        String written = next.object() != null ? next.object() : ((ResourceEntity.ObjectDeleted) e).object();
        loadedChanges.add(new Released(e.revision(), next.lastChange(), sortKey, written, object.object(),
            object.revision()));
      }
      object = next;
    }
    if (object.object() != null) {
      cache.put(sortKey, new Cached(object.revision(), object.object()));
    }
    return Effect().none();
  }

  /** The window after a start: the latest loaded changes in revision order, so watches resume. */
  private Effect<Event, State> onLoadFinished(State state, LoadFinished f) {
    loadedChanges.sort(java.util.Comparator.comparingLong(Released::revision));
    int skip = Math.max(0, loadedChanges.size() - settings.windowSize());
    windowFloor = skip == 0 ? 0 : loadedChanges.get(skip - 1).revision();
    window.addAll(loadedChanges.subList(skip, loadedChanges.size()));
    loadedChanges.clear();
    loaded = true;
    ctx.getLog().debug("hub {} ready at revision {} with {} objects", resourceKey, released, cache.size());
    return Effect().unstashAll();
  }

  // ---- revisions ----

  private Effect<Event, State> onAllocate(State state, Allocate a) {
    if (nextRevision > state.reservedUpTo()) {
      return Effect().persist(new RevisionsReserved(state.reservedUpTo() + settings.revisionBlock()))
          .thenRun(s -> allocate(a));
    }
    allocate(a);
    return Effect().none();
  }

  private void allocate(Allocate a) {
    long rev = nextRevision++;
    pending.put(rev, new Pending(a.key(), System.nanoTime() + settings.resolveAfter().toNanos(), null, false));
    a.replyTo().tell(new Allocated(rev));
  }

  /** Records an outcome, then releases every leading settled revision, in order. */
  private void settle(long revision, Committed committed, boolean aborted) {
    Pending p = pending.get(revision);
    if (p == null && committed != null && revision <= base) {
      lateCommit(committed);
      return;
    }
    if (p == null || p.outcome() != null || p.aborted()) {
      return; // already settled
    }
    pending.put(revision, new Pending(p.key(), p.deadlineNanos(), committed, aborted));
    while (!pending.isEmpty()) {
      Map.Entry<Long, Pending> first = pending.firstEntry();
      Pending head = first.getValue();
      if (head.outcome() == null && !head.aborted()) {
        break;
      }
      pending.pollFirstEntry();
      released = first.getKey();
      if (head.outcome() != null) {
        release(head.outcome());
      }
    }
    if (pending.isEmpty()) {
      released = nextRevision - 1;
    }
    serveWaitingLists();
  }

  /**
   * A write with a revision of this hub's previous incarnation that committed after the cache was
   * loaded (its entity reported to the hub that has since moved). Its object is in the journal; the
   * cache takes it unless it already holds a later state, and watches get it, with its own (older)
   * revision: late, but not lost.
   */
  private void lateCommit(Committed c) {
    Cached cached = cache.get(c.key().sortKey());
    if (cached != null && cached.revision() >= c.revision()) {
      return;
    }
    if (cached == null && c.kind() == ChangeKind.DELETED) {
      return;
    }
    ctx.getLog().warn("hub {}: revision {} of {} committed after the hub moved; releasing it late",
        resourceKey, c.revision(), c.key());
    release(c);
  }

  private void release(Committed c) {
    String sortKey = c.key().sortKey();
    Cached before = cache.get(sortKey);
    String previous = before == null ? null : before.object();
    String object = c.object();
    if (c.kind() == ChangeKind.DELETED) {
      cache.remove(sortKey);
      if (object == null) {
        object = previous;
      }
      if (object == null) {
        return; // a delete of an object this cache never held: nothing to tell anyone
      }
    } else {
      cache.put(sortKey, new Cached(c.revision(), object));
    }
    ChangeKind kind = c.kind() != ChangeKind.DELETED && previous == null ? ChangeKind.ADDED
        : c.kind() == ChangeKind.ADDED && previous != null ? ChangeKind.MODIFIED : c.kind();
    Released r = new Released(c.revision(), kind, sortKey, object, previous, before == null ? 0 : before.revision());
    window.addLast(r);
    while (window.size() > settings.windowSize()) {
      windowFloor = window.pollFirst().revision();
    }
    // Parsed at most once for all watchers (a kubelet per node watches pods: a thousand filters per change).
    ParsedOnce parsedObject = new ParsedOnce(r.kind() == ChangeKind.DELETED ? null : r.object());
    ParsedOnce parsedPrevious = new ParsedOnce(r.previous());
    for (Map.Entry<ActorRef<WatchEvent>, Watcher> w : watchers.entrySet()) {
      if (r.revision() > w.getValue().from()) {
        deliver(w.getKey(), w.getValue().filter(), r, parsedObject, parsedPrevious);
      }
    }
  }

  /** An object's JSON, parsed when a filter first needs it; null stays null. */
  private static final class ParsedOnce {
    private final String json;
    private JsonNode parsed;

    ParsedOnce(String json) {
      this.json = json;
    }

    boolean matches(ObjectFilter.Compiled filter) {
      if (json == null) {
        return false;
      }
      if (filter.selectsAllInNamespace() && filter.namespace().isEmpty()) {
        return true;
      }
      if (parsed == null) {
        parsed = Json.parseTrusted(json);
      }
      return filter.matches(parsed);
    }
  }

  /** Sends one change as the watcher's filter sees it (an object leaving the filter is DELETED). */
  private static void deliver(ActorRef<WatchEvent> sink, ObjectFilter.Compiled filter, Released r,
      ParsedOnce object, ParsedOnce previous) {
    boolean now = object.matches(filter);
    boolean before = previous.matches(filter);
    String type;
    if (r.kind() == ChangeKind.DELETED) {
      type = before ? "DELETED" : null;
    } else if (now) {
      type = before ? "MODIFIED" : "ADDED";
    } else {
      type = before ? "DELETED" : null;
    }
    if (type != null) {
      sink.tell(new Change(type, r.object(), r.revision()));
    }
  }

  private Effect<Event, State> onTick(State state, Tick t) {
    long now = System.nanoTime();
    for (Map.Entry<Long, Pending> e : pending.entrySet()) {
      Pending p = e.getValue();
      if (p.outcome() == null && !p.aborted() && now > p.deadlineNanos()) {
        resolver.tell(p.key(), new ResourceEntity.ResolveRevision(e.getKey(), ctx.getSelf().narrow()));
        e.setValue(new Pending(p.key(), now + settings.resolveAfter().toNanos(), null, false));
      }
    }
    Iterator<WaitingList> it = waitingLists.iterator();
    while (it.hasNext()) {
      WaitingList w = it.next();
      if (now - w.sinceNanos() > settings.listWait().toNanos()) {
        it.remove();
        w.request().replyTo().tell(new ListFailed(ApiError.timeout(
            "Too large resource version: " + w.target() + ", current: " + released)));
      }
    }
    if (now - lastBookmarkNanos > settings.bookmarkEvery().toNanos()) {
      lastBookmarkNanos = now;
      watchers.forEach((sink, w) -> {
        if (w.bookmarks()) {
          sink.tell(new Bookmark(Math.max(released, w.from()), false));
        }
      });
    }
    return Effect().none();
  }

  // ---- LIST ----

  private void onList(ListObjects l) {
    ObjectFilter.Compiled filter;
    try {
      filter = l.filter().compile();
    } catch (IllegalArgumentException e) {
      l.replyTo().tell(new ListFailed(ApiError.badRequest(e.getMessage())));
      return;
    }
    ContinueToken token = null;
    if (!l.continueToken().isEmpty()) {
      token = ContinueToken.decode(l.continueToken());
      if (token == null) {
        l.replyTo().tell(new ListFailed(ApiError.badRequest("continue key is not valid")));
        return;
      }
    }
    long at;
    if (token != null) {
      at = token.revision();
    } else if (l.resourceVersion().isEmpty()) {
      long target = nextRevision - 1;
      if (released < target) {
        waitingLists.add(new WaitingList(l, target, System.nanoTime()));
        return;
      }
      at = released;
    } else if (l.resourceVersion().equals("0")) {
      at = released;
    } else {
      long rv = parseRevision(l.resourceVersion());
      if (rv < 0) {
        l.replyTo().tell(new ListFailed(ApiError.badRequest(
            "invalid resource version \"" + l.resourceVersion() + "\"")));
        return;
      }
      if (rv > released) {
        if (rv >= nextRevision) {
          l.replyTo().tell(new ListFailed(ApiError.timeout(
              "Too large resource version: " + rv + ", current: " + released)));
        } else {
          waitingLists.add(new WaitingList(l, rv, System.nanoTime()));
        }
        return;
      }
      at = l.exact() ? rv : released;
    }
    if (at < windowFloor) {
      l.replyTo().tell(new ListFailed(token != null
          ? ApiError.gone("The provided continue parameter is too old to display a consistent list result. "
              + "You can start a new list without the continue parameter.")
          : ApiError.gone("Timeout: Too large resource version: too old resource version: " + at + " (" + windowFloor + ")")));
      return;
    }
    l.replyTo().tell(page(filter, at, token == null ? null : token.after(), l.limit()));
  }

  private void serveWaitingLists() {
    if (waitingLists.isEmpty()) {
      return;
    }
    Iterator<WaitingList> it = waitingLists.iterator();
    List<ListObjects> ready = new ArrayList<>();
    while (it.hasNext()) {
      WaitingList w = it.next();
      if (released >= w.target()) {
        it.remove();
        ready.add(w.request());
      }
    }
    for (ListObjects l : ready) {
      l.replyTo().tell(page(l.filter().compile(), released, null, l.limit()));
    }
  }

  /** The objects as they were at revision {@code at}, after the key {@code after}. */
  private Listed page(ObjectFilter.Compiled filter, long at, String after, long limit) {
    NavigableMap<String, Cached> view = stateAt(at);
    String from = after != null ? after : filter.namespace().isEmpty() ? null : filter.namespace() + "/";
    NavigableMap<String, Cached> range = from == null ? view : view.tailMap(from, after == null);
    if (!filter.namespace().isEmpty()) {
      range = range.headMap(filter.namespace() + "/\uffff", false);
    }
    List<String> items = new ArrayList<>();
    String lastKey = null;
    boolean more = false;
    long remaining = 0;
    long bytes = 0;
    for (Map.Entry<String, Cached> e : range.entrySet()) {
      String object = e.getValue().object();
      if (!filter.selectsAllInNamespace() && !filter.matches(Json.parseTrusted(object))) {
        continue;
      }
      if (!items.isEmpty() && bytes + object.length() > MAX_PAGE_BYTES && (limit <= 0 || items.size() < limit)) {
        return new Listed(at, items, new ContinueToken(at, lastKey).encode(), null, true);
      }
      if (limit > 0 && items.size() >= limit) {
        more = true;
        if (!filter.selectsAllInNamespace()) {
          break;
        }
        remaining++;
        continue;
      }
      items.add(object);
      bytes += object.length();
      lastKey = e.getKey();
    }
    String next = more ? new ContinueToken(at, lastKey).encode() : "";
    Long remainingCount = more && filter.selectsAllInNamespace() ? remaining : null;
    return new Listed(at, items, next, remainingCount, false);
  }

  /** The cache rolled back to revision {@code at} by undoing the window's later changes. */
  private NavigableMap<String, Cached> stateAt(long at) {
    if (at >= released || window.isEmpty() || window.peekLast().revision() <= at) {
      return cache;
    }
    TreeMap<String, Cached> view = new TreeMap<>(cache);
    Iterator<Released> newestFirst = window.descendingIterator();
    while (newestFirst.hasNext()) {
      Released r = newestFirst.next();
      if (r.revision() <= at) {
        break;
      }
      if (r.previous() == null) {
        view.remove(r.sortKey());
      } else {
        view.put(r.sortKey(), new Cached(r.previousRevision(), r.previous()));
      }
    }
    return view;
  }

  static long parseRevision(String rv) {
    try {
      long v = Long.parseLong(rv);
      return v < 0 ? -1 : v;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  // ---- WATCH ----

  private void onSubscribe(Subscribe s) {
    ObjectFilter.Compiled filter;
    try {
      filter = s.filter().compile();
    } catch (IllegalArgumentException e) {
      s.sink().tell(new WatchFailed(ApiError.badRequest(e.getMessage())));
      return;
    }
    String rv = s.resourceVersion();
    long from;
    if (rv.isEmpty() || rv.equals("0") || s.sendInitialEvents()) {
      long at = released;
      {
        NavigableMap<String, Cached> range = filter.namespace().isEmpty() ? cache
            : cache.subMap(filter.namespace() + "/", true, filter.namespace() + "/\uffff", false);
        for (Cached c : range.values()) {
          if (filter.selectsAllInNamespace() || filter.matches(Json.parseTrusted(c.object()))) {
            s.sink().tell(new Change("ADDED", c.object(), c.revision()));
          }
        }
        if (s.sendInitialEvents() && s.bookmarks()) {
          s.sink().tell(new Bookmark(at, true));
        }
      }
      from = at;
    } else {
      from = parseRevision(rv);
      if (from < 0) {
        s.sink().tell(new WatchFailed(ApiError.badRequest("invalid resource version \"" + rv + "\"")));
        return;
      }
      if (from < windowFloor) {
        s.sink().tell(new WatchFailed(ApiError.gone("too old resource version: " + from + " (" + windowFloor + ")")));
        return;
      }
      for (Released r : window) {
        if (r.revision() > from) {
          deliver(s.sink(), filter, r, new ParsedOnce(r.kind() == ChangeKind.DELETED ? null : r.object()),
              new ParsedOnce(r.previous()));
        }
      }
    }
    watchers.put(s.sink(), new Watcher(filter, Math.max(from, 0), s.bookmarks()));
    ctx.watchWith(s.sink(), new SubscriberGone(s.sink()));
    s.sink().tell(new Subscribed(ctx.getSelf(), Math.max(from, 0)));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder.forAnyState().onEvent(RevisionsReserved.class, (state, e) -> new State(e.upTo()));
    return builder.build();
  }

  /** Where a continued LIST resumes: the revision of the first page and the last key served. */
  record ContinueToken(long revision, String after) {
    String encode() {
      String raw = revision + "\n" + after;
      return java.util.Base64.getUrlEncoder().withoutPadding()
          .encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static ContinueToken decode(String token) {
      try {
        String raw = new String(java.util.Base64.getUrlDecoder().decode(token), java.nio.charset.StandardCharsets.UTF_8);
        int nl = raw.indexOf('\n');
        if (nl <= 0) {
          return null;
        }
        long rev = Long.parseLong(raw.substring(0, nl));
        return rev < 0 ? null : new ContinueToken(rev, raw.substring(nl + 1));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }
}
