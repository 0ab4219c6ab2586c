package io.pekkube.persistence.serialization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;

/** Messages the serialization tests round-trip; registered by {@link SampleRegistrar}. */
final class SampleMessages {

  private SampleMessages() {}

  enum Phase {
    PENDING,
    RUNNING {
      @Override
      public String toString() {
        return "running";
      }
    },
    SUCCEEDED
  }

  sealed interface Shape permits Circle, Square {}

  record Circle(double radius) implements Shape {}

  record Square(long side) implements Shape {}

  record Meta(String name, Optional<String> namespace, Map<String, String> labels) {}

  record Everything(
      int i, long l, double d, float f, boolean b, short s, byte by, char c,
      Integer boxed, Long boxedNull, String text, String nullText,
      Instant at, Duration timeout, UUID uid, BigDecimal amount,
      Optional<String> present, Optional<String> absent, OptionalLong optionalLong,
      Phase phase, Phase phaseWithBody, Phase nullPhase,
      Shape shape, Shape nullShape, Meta meta, List<Meta> metas,
      List<String> listOf, List<String> arrayList, List<String> streamToListWithNull,
      List<String> unmodifiableList, List<String> emptyList, List<String> singletonList,
      Set<String> setOf, Set<String> hashSet, Set<String> unmodifiableSet,
      Map<String, Integer> mapOf, Map<String, String> hashMap, Map<String, String> linkedHashMap,
      SortedMap<String, String> treeMap, Map<String, String> unmodifiableMap,
      JsonNode json, ObjectNode spec, JsonNode nullJson)
      implements ClusterMessage, JournalEvent {}

  record WithArrays(byte[] bytes, long[] longs, String[] strings) implements ClusterMessage {}

  record Ping(String text, ActorRef<Pong> replyTo) implements ClusterMessage {}

  record Pong(String text) implements ClusterMessage {}

  record ClassicEnvelope(org.apache.pekko.actor.ActorRef sender) implements ClusterMessage {}

  record ObjectCreated(String kind, Meta meta, long revision, Instant at, String by, Phase phase,
      Shape shape, JsonNode object) implements JournalEvent {}

  record Labelled(Map<String, String> labels, Set<String> finalizers, List<Integer> ports)
      implements JournalEvent {}

  record Unregistered(String value) implements ClusterMessage {}

  record Carrier(Object payload) implements ClusterMessage {}

  static final Instant AT = Instant.parse("2024-05-01T12:00:00.123456789Z");

  static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Meta meta(String name) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app", name);
    labels.put("tier", "web");
    return new Meta(name, Optional.of("default"), labels);
  }

  static Everything everything() {
    Map<String, String> hashMap = new HashMap<>(Map.of("a", "1", "b", "2", "c", "3"));
    Map<String, String> linked = new LinkedHashMap<>();
    linked.put("z", "last-inserted-first");
    linked.put("a", "second");
    return new Everything(
        42, -7_000_000_000L, 3.25, 1.5f, true, (short) 12, (byte) -3, 'ß',
        7, null, "héllo ✓", null,
        AT, Duration.ofSeconds(30), UUID.fromString("3f1c2a9e-1b6f-4c1e-9a43-2a9b8e1d0c55"),
        new BigDecimal("1234.5678"),
        Optional.of("present"), Optional.empty(), OptionalLong.of(9),
        Phase.PENDING, Phase.RUNNING, null,
        new Circle(2.5), null, meta("web"), List.of(meta("a"), meta("b")),
        List.of("x", "y", "z"), new ArrayList<>(List.of("p", "q")),
        Stream.of("n", null, "m").toList(),
        Collections.unmodifiableList(new ArrayList<>(List.of("u"))), List.of(),
        Collections.singletonList("only"),
        Set.of("s1", "s2", "s3"), new HashSet<>(Set.of("h1", "h2")),
        Collections.unmodifiableSet(new LinkedHashSet<>(List.of("k2", "k1"))),
        Map.of("one", 1, "two", 2, "three", 3), hashMap, linked,
        new TreeMap<>(Map.of("b", "2", "a", "1")), Collections.unmodifiableMap(linked),
        json("{\"kind\":\"Pod\",\"spec\":{\"replicas\":3,\"ratio\":0.5,\"tags\":[\"a\",null,true]}}"),
        (ObjectNode) json("{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}"),
        null);
  }
}
