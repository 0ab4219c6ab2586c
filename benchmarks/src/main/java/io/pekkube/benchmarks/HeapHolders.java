package io.pekkube.benchmarks;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who holds a heap: reads an HPROF dump (as {@code ScaleBenchmark --heap-dump} writes), walks the objects
 * breadth-first from the GC roots, and charges every object's size to its nearest <em>owner</em> on that
 * shortest path — the closest object whose class starts with one of the given prefixes — and the field
 * through which the path leaves the owner ({@code PodInfo.object}, {@code ResourceHub$Cached.object}). An
 * object several owners share is charged to the nearest one only, so the figures add up to the heap.
 * Sizes are estimated as HotSpot lays objects out with compressed references (12-byte headers, 4-byte
 * references, 8-byte alignment).
 *
 * <p>{@code benchmarks/run.sh heap-holders <dump.hprof> [prefix...]} (default prefixes {@code io.pekkube.},
 * {@code org.apache.pekko.actor.ActorCell}, {@code org.h2.}); prints the 60 largest holders.
 */
public final class HeapHolders {
  private static final int TOP = 60;
  private static final int OBJECT = 2;
  private static final long CLASS_OBJECT = -100;

  private int idSize;
  private final Map<Long, String> strings = new HashMap<>();
  private final Map<Long, Long> classNameIds = new HashMap<>();
  private final Map<Long, Long> superClasses = new HashMap<>();
  private final Map<Long, long[]> fieldNames = new HashMap<>();
  private final Map<Long, byte[]> fieldTypes = new HashMap<>();
  private final Map<Long, Integer> instanceBytes = new HashMap<>();
  private final List<Long> roots = new ArrayList<>();
  private final List<String> rootKinds = new ArrayList<>();

  // Objects by index: id, class id (a primitive array: minus its element type), estimated size.
  private long[] ids = new long[1 << 20];
  private long[] classes = new long[1 << 20];
  private int[] sizes = new int[1 << 20];
  private int count;
  private long[] sortedIds;
  private int[] indexOfSorted;

  // References as (from, to, field) triples, one after another.
  private int[] triples = new int[3 << 20];
  private int references;
  private final List<String> fields = new ArrayList<>();
  private final Map<String, Integer> fieldIds = new HashMap<>();
  private final Map<Long, String> classNames = new HashMap<>();

  private DataInputStream in;

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: HeapHolders <dump.hprof> [class prefix...]");
    }
    List<String> owners = args.length > 1 ? List.of(Arrays.copyOfRange(args, 1, args.length))
        : List.of("io.pekkube.", "org.apache.pekko.actor.ActorCell", "org.h2.");
    HeapHolders heap = new HeapHolders();
    heap.read(args[0], false);
    heap.indexIds();
    heap.read(args[0], true);
    heap.report(owners);
  }

  /** Charges every reachable object to its holder and prints the largest holders. */
  private void report(List<String> owners) {
    int[] start = new int[count + 1];
    for (int i = 0; i < references; i++) {
      start[triples[3 * i] + 1]++;
    }
    for (int i = 0; i < count; i++) {
      start[i + 1] += start[i];
    }
    int[] next = Arrays.copyOf(start, count);
    int[] target = new int[references];
    int[] field = new int[references];
    for (int i = 0; i < references; i++) {
      int p = next[triples[3 * i]]++;
      target[p] = triples[3 * i + 1];
      field[p] = triples[3 * i + 2];
    }
    triples = null;
    List<String> holders = new ArrayList<>();
    Map<String, Integer> holderIds = new HashMap<>();
    int[] holder = new int[count];
    Arrays.fill(holder, -1);
    int[] queue = new int[count];
    int head = 0;
    int tail = 0;
    for (int r = 0; r < roots.size(); r++) {
      int i = indexOf(roots.get(r));
      if (i >= 0 && holder[i] < 0) {
        holder[i] = idOf("root " + rootKinds.get(r) + " " + className(i), holders, holderIds);
        queue[tail++] = i;
      }
    }
    while (head < tail) {
      int p = queue[head++];
      boolean owner = isOwner(p, owners);
      for (int e = start[p]; e < start[p + 1]; e++) {
        int c = target[e];
        if (holder[c] < 0) {
          holder[c] = owner ? idOf(className(p) + "." + fields.get(field[e]), holders, holderIds) : holder[p];
          queue[tail++] = c;
        }
      }
    }
    long[] bytes = new long[holders.size()];
    long[] objects = new long[holders.size()];
    List<Map<String, Long>> byClass = new ArrayList<>();
    holders.forEach(h -> byClass.add(new HashMap<>()));
    long total = 0;
    long unreached = 0;
    for (int i = 0; i < count; i++) {
      total += sizes[i];
      if (holder[i] < 0) {
        unreached += sizes[i];
        continue;
      }
      bytes[holder[i]] += sizes[i];
      objects[holder[i]]++;
      byClass.get(holder[i]).merge(className(i), (long) sizes[i], Long::sum);
    }
    System.out.printf("total %.1f MB (10^6 bytes), unreached %.1f MB, %d objects%n", total / 1e6, unreached / 1e6, count);
    Integer[] order = new Integer[holders.size()];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Long.compare(bytes[b], bytes[a]));
    for (int k = 0; k < Math.min(TOP, order.length); k++) {
      int h = order[k];
      StringBuilder top = new StringBuilder();
      byClass.get(h).entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(4)
          .forEach(c -> top.append(String.format(" %s=%.1f", simpleName(c.getKey()), c.getValue() / 1e6)));
      System.out.printf("%8.1f MB %9d  %s  [%s]%n", bytes[h] / 1e6, objects[h], holders.get(h), top.toString().trim());
    }
  }

  private static int idOf(String name, List<String> names, Map<String, Integer> ids) {
    return ids.computeIfAbsent(name, n -> {
      names.add(n);
      return names.size() - 1;
    });
  }

  private boolean isOwner(int i, List<String> owners) {
    if (classes[i] <= 0) {
      return false;
    }
    String name = className(i);
    return owners.stream().anyMatch(name::startsWith);
  }

  private String className(int i) {
    long c = classes[i];
    if (c == CLASS_OBJECT) {
      return "java.lang.Class";
    }
    if (c < 0) {
      return primitiveName((int) -c) + "[]";
    }
    return classNames.computeIfAbsent(c, k -> {
      Long nameId = classNameIds.get(k);
      return nameId == null ? "class@" + k : strings.getOrDefault(nameId, "?").replace('/', '.');
    });
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  private static String primitiveName(int type) {
    return switch (type) {
      case 4 -> "boolean";
      case 5 -> "char";
      case 6 -> "float";
      case 7 -> "double";
      case 8 -> "byte";
      case 9 -> "short";
      case 10 -> "int";
      case 11 -> "long";
      default -> "type" + type;
    };
  }

  /** Bytes of a value of this HPROF basic type in the live heap (references compressed to 4). */
  private static int heapSize(int type) {
    return switch (type) {
      case OBJECT, 6, 10 -> 4;
      case 4, 8 -> 1;
      case 5, 9 -> 2;
      case 7, 11 -> 8;
      default -> 0;
    };
  }

  /** Bytes of a value of this type in the dump. */
  private int dumpSize(int type) {
    return type == OBJECT ? idSize : heapSize(type);
  }

  private static int align(long size) {
    return (int) ((size + 7) & ~7L);
  }

  private void indexIds() {
    Integer[] order = new Integer[count];
    Arrays.setAll(order, i -> i);
    Arrays.parallelSort(order, (a, b) -> Long.compare(ids[a], ids[b]));
    sortedIds = new long[count];
    indexOfSorted = new int[count];
    for (int i = 0; i < count; i++) {
      sortedIds[i] = ids[order[i]];
      indexOfSorted[i] = order[i];
    }
  }

  private int indexOf(long id) {
    int i = Arrays.binarySearch(sortedIds, id);
    return i < 0 ? -1 : indexOfSorted[i];
  }

  private void addObject(long id, long classId, int size) {
    if (count == ids.length) {
      ids = Arrays.copyOf(ids, count * 2);
      classes = Arrays.copyOf(classes, count * 2);
      sizes = Arrays.copyOf(sizes, count * 2);
    }
    ids[count] = id;
    classes[count] = classId;
    sizes[count] = size;
    count++;
  }

  private void addReference(int source, long targetId, String fieldName) {
    int target = targetId == 0 ? -1 : indexOf(targetId);
    if (target < 0) {
      return;
    }
    int at = 3 * references++;
    if (at + 3 > triples.length) {
      triples = Arrays.copyOf(triples, triples.length * 2);
    }
    triples[at] = source;
    triples[at + 1] = target;
    triples[at + 2] = fieldIds.computeIfAbsent(fieldName, f -> {
      fields.add(f);
      return fields.size() - 1;
    });
  }

  private long readId() throws IOException {
    return idSize == 4 ? in.readInt() & 0xffffffffL : in.readLong();
  }

  /** One pass over the dump: the first collects classes and objects, the second ({@code links}) references. */
  private void read(String file, boolean links) throws IOException {
    try (DataInputStream stream = new DataInputStream(new BufferedInputStream(new FileInputStream(file), 1 << 20))) {
      in = stream;
      while (in.readByte() != 0) {
        // the format name, NUL-terminated
      }
      idSize = in.readInt();
      in.readLong();
      while (true) {
        int tag;
        try {
          tag = in.readUnsignedByte();
        } catch (EOFException end) {
          return;
        }
        in.readInt();
        long length = in.readInt() & 0xffffffffL;
        if (tag == 0x01 && !links) {
          long id = readId();
          byte[] utf8 = new byte[(int) (length - idSize)];
          in.readFully(utf8);
          strings.put(id, new String(utf8, StandardCharsets.UTF_8));
        } else if (tag == 0x02 && !links) {
          in.readInt();
          long classId = readId();
          in.readInt();
          classNameIds.put(classId, readId());
        } else if (tag == 0x0C || tag == 0x1C) {
          readHeap(length, links);
        } else {
          in.skipNBytes(length);
        }
      }
    }
  }

  private void readHeap(long length, boolean links) throws IOException {
    long read = 0;
    while (read < length) {
      int kind = in.readUnsignedByte();
      read++;
      switch (kind) {
        case 0xFF -> read += root(links, "unknown", 0);
        case 0x01 -> read += root(links, "jni-global", idSize);
        case 0x02 -> read += root(links, "jni-local", 8);
        case 0x03 -> read += root(links, "frame", 8);
        case 0x04 -> read += root(links, "native-stack", 4);
        case 0x05 -> read += root(links, "sticky-class", 0);
        case 0x06 -> read += root(links, "thread-block", 4);
        case 0x07 -> read += root(links, "monitor", 0);
        case 0x08 -> read += root(links, "thread", 8);
        case 0x20 -> read += readClass(links);
        case 0x21 -> read += readInstance(links);
        case 0x22 -> read += readObjectArray(links);
        case 0x23 -> read += readPrimitiveArray(links);
        default -> throw new IOException("unknown heap dump record " + kind);
      }
    }
  }

  private long root(boolean links, String kind, int extra) throws IOException {
    long id = readId();
    in.skipNBytes(extra);
    if (!links) {
      roots.add(id);
      rootKinds.add(kind);
    }
    return idSize + extra;
  }

  private long readClass(boolean links) throws IOException {
    long classId = readId();
    in.readInt();
    long superId = readId();
    for (int k = 0; k < 5; k++) {
      readId();
    }
    in.readInt();
    long read = 7L * idSize + 8;
    int constants = in.readUnsignedShort();
    read += 2;
    for (int k = 0; k < constants; k++) {
      in.readUnsignedShort();
      int type = in.readUnsignedByte();
      in.skipNBytes(dumpSize(type));
      read += 3 + dumpSize(type);
    }
    int statics = in.readUnsignedShort();
    read += 2;
    List<long[]> staticReferences = new ArrayList<>();
    for (int k = 0; k < statics; k++) {
      long name = readId();
      int type = in.readUnsignedByte();
      if (type == OBJECT) {
        staticReferences.add(new long[] {name, readId()});
      } else {
        in.skipNBytes(dumpSize(type));
      }
      read += idSize + 1 + dumpSize(type);
    }
    int instanceFields = in.readUnsignedShort();
    read += 2;
    long[] names = new long[instanceFields];
    byte[] types = new byte[instanceFields];
    for (int k = 0; k < instanceFields; k++) {
      names[k] = readId();
      types[k] = (byte) in.readUnsignedByte();
      read += idSize + 1;
    }
    if (!links) {
      superClasses.put(classId, superId);
      fieldNames.put(classId, names);
      fieldTypes.put(classId, types);
      addObject(classId, CLASS_OBJECT, 64);
    } else {
      int source = indexOf(classId);
      for (long[] s : staticReferences) {
        addReference(source, s[1], "static " + strings.getOrDefault(s[0], "?"));
      }
    }
    return read;
  }

  private long readInstance(boolean links) throws IOException {
    long id = readId();
    in.readInt();
    long classId = readId();
    int length = in.readInt();
    if (!links) {
      in.skipNBytes(length);
      addObject(id, classId, align(12 + instanceBytes(classId)));
    } else {
      byte[] values = new byte[length];
      in.readFully(values);
      int source = indexOf(id);
      int offset = 0;
      for (long c = classId; c != 0 && fieldTypes.containsKey(c); c = superClasses.getOrDefault(c, 0L)) {
        byte[] types = fieldTypes.get(c);
        long[] names = fieldNames.get(c);
        for (int f = 0; f < types.length; f++) {
          if (types[f] == OBJECT) {
            long target = 0;
            for (int b = 0; b < idSize; b++) {
              target = (target << 8) | (values[offset + b] & 0xff);
            }
            addReference(source, target, strings.getOrDefault(names[f], "?"));
          }
          offset += dumpSize(types[f]);
        }
      }
    }
    return 2L * idSize + 8 + length;
  }

  private int instanceBytes(long classId) {
    return instanceBytes.computeIfAbsent(classId, id -> {
      int bytes = 0;
      for (long c = id; c != 0 && fieldTypes.containsKey(c); c = superClasses.getOrDefault(c, 0L)) {
        for (byte type : fieldTypes.get(c)) {
          bytes += heapSize(type);
        }
      }
      return bytes;
    });
  }

  private long readObjectArray(boolean links) throws IOException {
    long id = readId();
    in.readInt();
    int length = in.readInt();
    long classId = readId();
    if (!links) {
      in.skipNBytes((long) length * idSize);
      addObject(id, classId, align(16 + 4L * length));
    } else {
      int source = indexOf(id);
      for (int k = 0; k < length; k++) {
        addReference(source, readId(), "[]");
      }
    }
    return 2L * idSize + 8 + (long) length * idSize;
  }

  private long readPrimitiveArray(boolean links) throws IOException {
    long id = readId();
    in.readInt();
    int length = in.readInt();
    int type = in.readUnsignedByte();
    long bytes = (long) length * heapSize(type);
    in.skipNBytes(bytes);
    if (!links) {
      addObject(id, -type, align(16 + bytes));
    }
    return idSize + 9 + bytes;
  }
}
