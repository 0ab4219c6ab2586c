package io.pekkube.persistence.serialization;

import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * The serializer's own registrations, ids 10..99. These ids are part of the wire and journal
 * format: add new ones in free slots, never renumber or remove one. Kryo itself owns 0..9
 * (primitives, their boxes and String).
 */
final class BuiltInRegistrations {

  /** One built-in; {@code serializer} returns null to use Kryo's default for the type. */
  record BuiltIn(int id, Class<?> type, Function<ActorRefCodec, Serializer<?>> serializer) {}

  private static final List<BuiltIn> ALL = List.of(
      // Arrays
      kryoDefault(10, byte[].class),
      kryoDefault(11, int[].class),
      kryoDefault(12, long[].class),
      kryoDefault(13, double[].class),
      kryoDefault(14, boolean[].class),
      kryoDefault(15, char[].class),
      kryoDefault(16, String[].class),
      kryoDefault(17, Object[].class),
      kryoDefault(18, float[].class),
      kryoDefault(19, short[].class),
      // Mutable collections
      kryoDefault(20, ArrayList.class),
      kryoDefault(21, LinkedList.class),
      kryoDefault(22, ArrayDeque.class),
      kryoDefault(23, HashSet.class),
      kryoDefault(24, LinkedHashSet.class),
      kryoDefault(25, TreeSet.class),
      kryoDefault(26, HashMap.class),
      kryoDefault(27, LinkedHashMap.class),
      kryoDefault(28, TreeMap.class),
      // JDK immutable collections (List.of, Set.of, Map.of, Stream.toList)
      builtIn(30, List.of(1).getClass(), refs -> JdkCollectionSerializers.immutableList()),
      builtIn(31, List.of(1, 2, 3).getClass(), refs -> JdkCollectionSerializers.immutableList()),
      builtIn(32, List.of(1, 2, 3).subList(0, 1).getClass(),
          refs -> JdkCollectionSerializers.immutableList()),
      builtIn(33, Set.of(1).getClass(), refs -> JdkCollectionSerializers.immutableSet()),
      builtIn(34, Set.of(1, 2, 3).getClass(), refs -> JdkCollectionSerializers.immutableSet()),
      builtIn(35, Map.of(1, 1).getClass(), refs -> JdkCollectionSerializers.immutableMap()),
      builtIn(36, Map.of(1, 1, 2, 2).getClass(), refs -> JdkCollectionSerializers.immutableMap()),
      // Collections.unmodifiable*
      builtIn(40, Collections.unmodifiableCollection(new ArrayList<>()).getClass(),
          refs -> JdkCollectionSerializers.unmodifiableCollection()),
      builtIn(41, Collections.unmodifiableList(new LinkedList<>()).getClass(),
          refs -> JdkCollectionSerializers.unmodifiableList()),
      builtIn(42, Collections.unmodifiableList(new ArrayList<>()).getClass(),
          refs -> JdkCollectionSerializers.unmodifiableList()),
      builtIn(43, Collections.unmodifiableSet(new HashSet<>()).getClass(),
          refs -> JdkCollectionSerializers.unmodifiableSet()),
      builtIn(44, Collections.unmodifiableSortedSet(new TreeSet<>()).getClass(),
          refs -> JdkCollectionSerializers.unmodifiableSortedSet(Collections::unmodifiableSortedSet)),
      builtIn(45, Collections.unmodifiableNavigableSet(new TreeSet<>()).getClass(),
          refs -> JdkCollectionSerializers.unmodifiableSortedSet(Collections::unmodifiableNavigableSet)),
      builtIn(46, Collections.unmodifiableMap(new HashMap<>()).getClass(),
          refs -> JdkCollectionSerializers.unmodifiableMap()),
      builtIn(47, Collections.unmodifiableSortedMap(new TreeMap<>()).getClass(),
          refs -> JdkCollectionSerializers.unmodifiableSortedMap(Collections::unmodifiableSortedMap)),
      builtIn(48, Collections.unmodifiableNavigableMap(new TreeMap<>()).getClass(),
          refs -> JdkCollectionSerializers.unmodifiableSortedMap(Collections::unmodifiableNavigableMap)),
      // Collections.empty*/singleton*, Arrays.asList (Kryo has serializers for these)
      kryoDefault(50, Collections.emptyList().getClass()),
      kryoDefault(51, Collections.emptySet().getClass()),
      kryoDefault(52, Collections.emptyMap().getClass()),
      kryoDefault(53, Collections.singletonList(1).getClass()),
      kryoDefault(54, Collections.singleton(1).getClass()),
      kryoDefault(55, Collections.singletonMap(1, 1).getClass()),
      kryoDefault(56, Arrays.asList(1).getClass()),
      // java.time
      kryoDefault(60, Instant.class),
      kryoDefault(61, Duration.class),
      kryoDefault(62, LocalDate.class),
      kryoDefault(63, LocalTime.class),
      kryoDefault(64, LocalDateTime.class),
      kryoDefault(65, OffsetDateTime.class),
      kryoDefault(66, ZonedDateTime.class),
      // Optionals
      kryoDefault(70, Optional.class),
      kryoDefault(71, OptionalInt.class),
      kryoDefault(72, OptionalLong.class),
      kryoDefault(73, OptionalDouble.class),
      // Values
      builtIn(75, UUID.class, refs -> new DefaultSerializers.UUIDSerializer()),
      kryoDefault(76, BigInteger.class),
      kryoDefault(77, BigDecimal.class),
      builtIn(78, URI.class, refs -> new DefaultSerializers.URISerializer()),
      // Actor references: every implementation class is written under these ids
      builtIn(80, org.apache.pekko.actor.typed.ActorRef.class, ActorRefCodec::typedSerializer),
      builtIn(81, org.apache.pekko.actor.ActorRef.class, ActorRefCodec::classicSerializer),
      // JSON trees: every JsonNode subclass is written under this id
      builtIn(85, JsonNode.class, refs -> new JsonNodeSerializer()));

  private BuiltInRegistrations() {}

  static List<BuiltIn> all() {
    return ALL;
  }

  /**
   * The registered type under which {@code type} is written when it is not registered itself:
   * any actor reference or JSON tree implementation; null otherwise.
   */
  static Class<?> familyOf(Class<?> type) {
    if (org.apache.pekko.actor.typed.ActorRef.class.isAssignableFrom(type)) {
      return org.apache.pekko.actor.typed.ActorRef.class;
    }
    if (org.apache.pekko.actor.ActorRef.class.isAssignableFrom(type)) {
      return org.apache.pekko.actor.ActorRef.class;
    }
    if (JsonNode.class.isAssignableFrom(type)) {
      return JsonNode.class;
    }
    return null;
  }

  private static BuiltIn kryoDefault(int id, Class<?> type) {
    return new BuiltIn(id, type, refs -> null);
  }

  private static BuiltIn builtIn(int id, Class<?> type, Function<ActorRefCodec, Serializer<?>> s) {
    return new BuiltIn(id, type, s);
  }
}
