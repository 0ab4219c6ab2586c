package io.pekkube.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Serializers for the JDK's immutable and unmodifiable collections ({@code List.of},
 * {@code Set.of}, {@code Map.of}, {@code Stream.toList()}, {@code Collections.unmodifiable*}),
 * which have no no-arg constructor and whose backing fields Java 17 does not let Kryo open.
 * Each writes its elements and rebuilds the same kind of collection.
 *
 * <p>{@code Set.of} and {@code Map.of} iterate in an order that changes with every JVM start; their
 * elements (keys) are written sorted when they are mutually comparable so the same value always
 * gives the same bytes.
 */
final class JdkCollectionSerializers {

  private JdkCollectionSerializers() {}

  /** {@code List.of}, {@code List.copyOf}, {@code Stream.toList()} (which may hold nulls). */
  static Serializer<List<Object>> immutableList() {
    return new ElementsSerializer<>(false, elements -> {
      for (Object e : elements) {
        if (e == null) {
          return Collections.unmodifiableList(Arrays.asList(elements));
        }
      }
      return List.of(elements);
    });
  }

  static Serializer<Set<Object>> immutableSet() {
    return new ElementsSerializer<>(true, Set::of);
  }

  static Serializer<Map<Object, Object>> immutableMap() {
    return new EntriesSerializer<>(true, entries -> {
      @SuppressWarnings("unchecked")
      Map.Entry<Object, Object>[] array = entries.toArray(new Map.Entry[0]);
      return Map.ofEntries(array);
    });
  }

  static Serializer<Collection<Object>> unmodifiableCollection() {
    return new ElementsSerializer<>(false,
        elements -> Collections.unmodifiableCollection(new ArrayList<>(Arrays.asList(elements))));
  }

  static Serializer<List<Object>> unmodifiableList() {
    return new ElementsSerializer<>(false,
        elements -> Collections.unmodifiableList(new ArrayList<>(Arrays.asList(elements))));
  }

  static Serializer<Set<Object>> unmodifiableSet() {
    return new ElementsSerializer<>(false,
        elements -> Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(elements))));
  }

  static Serializer<SortedSet<Object>> unmodifiableSortedSet(
      Function<TreeSet<Object>, SortedSet<Object>> wrap) {
    return new SortedSetSerializer(wrap);
  }

  static Serializer<Map<Object, Object>> unmodifiableMap() {
    return new EntriesSerializer<>(false, entries -> {
      Map<Object, Object> map = new LinkedHashMap<>();
      entries.forEach(e -> map.put(e.getKey(), e.getValue()));
      return Collections.unmodifiableMap(map);
    });
  }

  static Serializer<SortedMap<Object, Object>> unmodifiableSortedMap(
      Function<TreeMap<Object, Object>, SortedMap<Object, Object>> wrap) {
    return new SortedMapSerializer(wrap);
  }

  private static final class ElementsSerializer<C extends Collection<Object>> extends Serializer<C> {
    private final boolean canonicalOrder;
    private final Function<Object[], C> rebuild;

    ElementsSerializer(boolean canonicalOrder, Function<Object[], ? extends Collection<Object>> rebuild) {
      super(false, true);
      this.canonicalOrder = canonicalOrder;
      @SuppressWarnings("unchecked")
      Function<Object[], C> typed = (Function<Object[], C>) rebuild;
      this.rebuild = typed;
    }

    @Override
    public void write(Kryo kryo, Output output, C collection) {
      Object[] elements = collection.toArray();
      if (canonicalOrder) {
        sortIfComparable(elements, Function.identity());
      }
      writeElements(kryo, output, elements);
    }

    @Override
    public C read(Kryo kryo, Input input, Class<? extends C> type) {
      return rebuild.apply(readElements(kryo, input));
    }
  }

  private static final class EntriesSerializer<M extends Map<Object, Object>> extends Serializer<M> {
    private final boolean canonicalOrder;
    private final Function<List<Map.Entry<Object, Object>>, M> rebuild;

    EntriesSerializer(boolean canonicalOrder,
        Function<List<Map.Entry<Object, Object>>, ? extends Map<Object, Object>> rebuild) {
      super(false, true);
      this.canonicalOrder = canonicalOrder;
      @SuppressWarnings("unchecked")
      Function<List<Map.Entry<Object, Object>>, M> typed =
          (Function<List<Map.Entry<Object, Object>>, M>) rebuild;
      this.rebuild = typed;
    }

    @Override
    public void write(Kryo kryo, Output output, M map) {
      writeEntries(kryo, output, map, canonicalOrder);
    }

    @Override
    public M read(Kryo kryo, Input input, Class<? extends M> type) {
      return rebuild.apply(readEntries(kryo, input));
    }
  }

  private static final class SortedSetSerializer extends Serializer<SortedSet<Object>> {
    private final Function<TreeSet<Object>, SortedSet<Object>> wrap;

    SortedSetSerializer(Function<TreeSet<Object>, SortedSet<Object>> wrap) {
      super(false, true);
      this.wrap = wrap;
    }

    @Override
    public void write(Kryo kryo, Output output, SortedSet<Object> set) {
      kryo.writeClassAndObject(output, set.comparator());
      writeElements(kryo, output, set.toArray());
    }

    @Override
    public SortedSet<Object> read(Kryo kryo, Input input, Class<? extends SortedSet<Object>> type) {
      @SuppressWarnings("unchecked")
      Comparator<Object> comparator = (Comparator<Object>) kryo.readClassAndObject(input);
      TreeSet<Object> set = new TreeSet<>(comparator);
      set.addAll(Arrays.asList(readElements(kryo, input)));
      return wrap.apply(set);
    }
  }

  private static final class SortedMapSerializer extends Serializer<SortedMap<Object, Object>> {
    private final Function<TreeMap<Object, Object>, SortedMap<Object, Object>> wrap;

    SortedMapSerializer(Function<TreeMap<Object, Object>, SortedMap<Object, Object>> wrap) {
      super(false, true);
      this.wrap = wrap;
    }

    @Override
    public void write(Kryo kryo, Output output, SortedMap<Object, Object> map) {
      kryo.writeClassAndObject(output, map.comparator());
      writeEntries(kryo, output, map, false);
    }

    @Override
    public SortedMap<Object, Object> read(
        Kryo kryo, Input input, Class<? extends SortedMap<Object, Object>> type) {
      @SuppressWarnings("unchecked")
      Comparator<Object> comparator = (Comparator<Object>) kryo.readClassAndObject(input);
      TreeMap<Object, Object> map = new TreeMap<>(comparator);
      readEntries(kryo, input).forEach(e -> map.put(e.getKey(), e.getValue()));
      return wrap.apply(map);
    }
  }

  private static void writeElements(Kryo kryo, Output output, Object[] elements) {
    output.writeVarInt(elements.length, true);
    for (Object element : elements) {
      kryo.writeClassAndObject(output, element);
    }
  }

  private static Object[] readElements(Kryo kryo, Input input) {
    Object[] elements = new Object[input.readVarInt(true)];
    for (int i = 0; i < elements.length; i++) {
      elements[i] = kryo.readClassAndObject(input);
    }
    return elements;
  }

  private static void writeEntries(Kryo kryo, Output output, Map<Object, Object> map, boolean canonicalOrder) {
    @SuppressWarnings("unchecked")
    Map.Entry<Object, Object>[] entries = map.entrySet().toArray(new Map.Entry[0]);
    if (canonicalOrder) {
      sortIfComparable(entries, e -> ((Map.Entry<?, ?>) e).getKey());
    }
    output.writeVarInt(entries.length, true);
    for (Map.Entry<Object, Object> entry : entries) {
      kryo.writeClassAndObject(output, entry.getKey());
      kryo.writeClassAndObject(output, entry.getValue());
    }
  }

  private static List<Map.Entry<Object, Object>> readEntries(Kryo kryo, Input input) {
    int size = input.readVarInt(true);
    List<Map.Entry<Object, Object>> entries = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      Object key = kryo.readClassAndObject(input);
      entries.add(new java.util.AbstractMap.SimpleImmutableEntry<>(key, kryo.readClassAndObject(input)));
    }
    return entries;
  }

  /** Sorts by natural order of {@code key}; leaves the array as it was if keys do not compare. */
  private static void sortIfComparable(Object[] items, Function<Object, Object> key) {
    Object[] sorted = items.clone();
    try {
      @SuppressWarnings({"unchecked", "rawtypes"})
      Comparator<Object> byKey = (a, b) -> ((Comparable) key.apply(a)).compareTo(key.apply(b));
      Arrays.sort(sorted, byKey);
    } catch (ClassCastException | NullPointerException notComparable) {
      return;
    }
    System.arraycopy(sorted, 0, items, 0, items.length);
  }
}
