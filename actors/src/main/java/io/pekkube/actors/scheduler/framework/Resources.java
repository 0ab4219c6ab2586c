package io.pekkube.actors.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.Quantity;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An amount of node resources, as Kubernetes' {@code framework.Resource}: cpu in millicores, memory
 * and ephemeral storage in bytes, a pod count, and extended ("scalar") resources by name. Mutable,
 * because a node's requested sum changes with every pod placed on it.
 */
public final class Resources {
  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
  public static final String PODS = "pods";

  long milliCpu;
  long memory;
  long ephemeralStorage;
  long pods;
  private Map<String, Long> scalar;

  public Resources() {}

  public Resources(long milliCpu, long memory, long ephemeralStorage, long pods) {
    this.milliCpu = milliCpu;
    this.memory = memory;
    this.ephemeralStorage = ephemeralStorage;
    this.pods = pods;
  }

  /** A {@code ResourceList} ({@code {"cpu": "2", "memory": "4Gi", ...}}). */
  public static Resources of(JsonNode list) {
    Resources r = new Resources();
    r.addList(list);
    return r;
  }

  void addList(JsonNode list) {
    if (list == null || !list.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = list.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      set(e.getKey(), get(e.getKey()) + amount(e.getKey(), e.getValue().asText()));
    }
  }

  private static long amount(String name, String quantity) {
    long v = CPU.equals(name) ? Quantity.milliValue(quantity) : Quantity.value(quantity);
    return Math.max(v, 0);
  }

  public long milliCpu() {
    return milliCpu;
  }

  public long memory() {
    return memory;
  }

  public long ephemeralStorage() {
    return ephemeralStorage;
  }

  public long pods() {
    return pods;
  }

  /** Extended resources (anything but cpu, memory, ephemeral-storage and pods), never null. */
  public Map<String, Long> scalar() {
    return scalar == null ? Map.of() : scalar;
  }

  public long get(String name) {
    return switch (name) {
      case CPU -> milliCpu;
      case MEMORY -> memory;
      case EPHEMERAL_STORAGE -> ephemeralStorage;
      case PODS -> pods;
      default -> scalar == null ? 0 : scalar.getOrDefault(name, 0L);
    };
  }

  public void set(String name, long value) {
    switch (name) {
      case CPU -> milliCpu = value;
      case MEMORY -> memory = value;
      case EPHEMERAL_STORAGE -> ephemeralStorage = value;
      case PODS -> pods = value;
      default -> {
        if (scalar == null) {
          scalar = new HashMap<>(4);
        }
        scalar.put(name, value);
      }
    }
  }

  public void add(Resources other, int sign) {
    milliCpu += sign * other.milliCpu;
    memory += sign * other.memory;
    ephemeralStorage += sign * other.ephemeralStorage;
    pods += sign * other.pods;
    if (other.scalar != null) {
      other.scalar.forEach((k, v) -> set(k, get(k) + sign * v));
    }
  }

  /** Each resource the larger of this and {@code other} (an init container against the app containers). */
  void max(Resources other) {
    milliCpu = Math.max(milliCpu, other.milliCpu);
    memory = Math.max(memory, other.memory);
    ephemeralStorage = Math.max(ephemeralStorage, other.ephemeralStorage);
    if (other.scalar != null) {
      other.scalar.forEach((k, v) -> set(k, Math.max(get(k), v)));
    }
  }

  /** The same amount of every resource (a resource absent from one counts as 0 there). */
  public boolean sameAs(Resources other) {
    if (milliCpu != other.milliCpu || memory != other.memory || ephemeralStorage != other.ephemeralStorage
        || pods != other.pods) {
      return false;
    }
    for (Map<String, Long> names : List.of(scalar(), other.scalar())) {
      for (String name : names.keySet()) {
        if (get(name) != other.get(name)) {
          return false;
        }
      }
    }
    return true;
  }

  public Resources copy() {
    Resources r = new Resources(milliCpu, memory, ephemeralStorage, pods);
    if (scalar != null) {
      r.scalar = new HashMap<>(scalar);
    }
    return r;
  }

  @Override
  public String toString() {
    return "Resources[cpu=" + milliCpu + "m, memory=" + memory + ", ephemeral-storage=" + ephemeralStorage
        + ", pods=" + pods + (scalar == null ? "" : ", " + scalar) + "]";
  }
}
