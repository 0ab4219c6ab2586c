package io.pekkube.persistence.serialization;

import com.esotericsoftware.kryo.Serializer;
import com.typesafe.config.Config;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The validated union of all {@link KryoRegistrar}s: every class has exactly one id, every id
 * exactly one class, and no registrar touches the built-in range. Built once per serializer; any
 * conflict fails the actor system's start with a message naming both registrars.
 */
public final class KryoRegistry {

  /** One application registration; {@code serializer} is null for Kryo's default. */
  public record Entry(Class<?> type, int id, Serializer<?> serializer, String registrar) {}

  private final List<Entry> entries;

  private KryoRegistry(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Instantiates the registrars named in {@code pekkube.serialization.kryo.registrars}. */
  public static KryoRegistry fromConfig(Config config) {
    return fromSettings(KryoSettings.from(config));
  }

  public static KryoRegistry fromSettings(KryoSettings settings) {
    List<KryoRegistrar> registrars = new ArrayList<>();
    for (String className : settings.registrars()) {
      registrars.add(instantiate(className));
    }
    return of(registrars);
  }

  public static KryoRegistry of(List<? extends KryoRegistrar> registrars) {
    Collector collector = new Collector();
    for (KryoRegistrar registrar : registrars) {
      collector.registrar = registrar.getClass().getName();
      registrar.register(collector);
    }
    return new KryoRegistry(collector.entries);
  }

  public List<Entry> entries() {
    return entries;
  }

  private static KryoRegistrar instantiate(String className) {
    try {
      Class<?> type = Class.forName(className, true, KryoRegistry.class.getClassLoader());
      if (!KryoRegistrar.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(className + " listed in " + KryoSettings.PATH
            + ".registrars does not implement " + KryoRegistrar.class.getName());
      }
      return (KryoRegistrar) type.getDeclaredConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "Kryo registrar " + className + " listed in " + KryoSettings.PATH
              + ".registrars is not on the classpath", e);
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
      throw new IllegalArgumentException(
          "Kryo registrar " + className + " needs a public no-arg constructor", e);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(
          "Kryo registrar " + className + " failed in its constructor", e.getCause());
    }
  }

  private static final class Collector implements KryoRegistrar.Registrations {
    private final List<Entry> entries = new ArrayList<>();
    private final Map<Integer, String> idOwners = new HashMap<>();
    private final Map<Class<?>, String> classOwners = new HashMap<>();
    private String registrar;

    Collector() {
      for (BuiltInRegistrations.BuiltIn builtIn : BuiltInRegistrations.all()) {
        classOwners.put(builtIn.type(), "the built-in registrations (id " + builtIn.id() + ")");
      }
    }

    @Override
    public void register(Class<?> type, int id) {
      add(type, id, null);
    }

    @Override
    public void register(Class<?> type, int id, Serializer<?> serializer) {
      add(type, id, Objects.requireNonNull(serializer, "serializer"));
    }

    private void add(Class<?> type, int id, Serializer<?> serializer) {
      Objects.requireNonNull(type, "type");
      if (id < KryoRegistrar.FIRST_APPLICATION_ID) {
        throw new IllegalArgumentException("Kryo registrar " + registrar + " registers "
            + type.getName() + " with id " + id + "; ids below "
            + KryoRegistrar.FIRST_APPLICATION_ID + " are reserved for built-ins");
      }
      String classOwner = classOwners.get(type);
      if (classOwner != null) {
        throw new IllegalArgumentException("Kryo registrar " + registrar + " registers "
            + type.getName() + " (id " + id + "), but it is already registered by " + classOwner);
      }
      String idOwner = idOwners.get(id);
      if (idOwner != null) {
        throw new IllegalArgumentException("Kryo registrar " + registrar + " registers "
            + type.getName() + " with id " + id + ", but that id is already taken by " + idOwner);
      }
      classOwners.put(type, registrar + " (id " + id + ")");
      idOwners.put(id, type.getName() + " in " + registrar);
      entries.add(new Entry(type, id, serializer, registrar));
    }
  }
}
