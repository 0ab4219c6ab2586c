package io.pekkube.actors.api.schema;

import com.google.gson.annotations.SerializedName;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI-generated model classes of {@code client-java-api} ({@code V1Pod}, {@code
 * DiscoveryV1EndpointPort}, ...): the JSON fields Kubernetes serves for each type, with the
 * required ones. Read by reflection only; no model object is ever built.
 */
final class ModelClasses {
  private static final String PACKAGE = "io.kubernetes.client.openapi.models.";
  /** "DiscoveryV1EndpointPort" → (Discovery, V1, EndpointPort); the group part is optional. */
  private static final Pattern CLASS_NAME =
      Pattern.compile("^((?:[A-Z][a-z]+)*?)(V[1-9][0-9]*(?:(?:alpha|beta)[1-9][0-9]*)?)([A-Z].*)$");

  private ModelClasses() {}

  /** A model class split into the parts of its name. */
  record Parsed(String group, String version, String name) {}

  static Optional<Parsed> parse(Class<?> c) {
    Matcher m = CLASS_NAME.matcher(c.getSimpleName());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new Parsed(m.group(1).toLowerCase(Locale.ROOT), m.group(2).toLowerCase(Locale.ROOT),
        m.group(3)));
  }

  /**
   * The model class of a type: the group-qualified name first ("CoreV1EndpointPort", used where two
   * groups share a name), then the plain one ("V1EndpointPort").
   */
  static Optional<Class<?>> find(String group, String version, String name) {
    String v = capitalize(version);
    String firstLabel = group.isEmpty() ? "core" : group.split("\\.")[0];
    Optional<Class<?>> qualified = load(capitalize(firstLabel) + v + name);
    return qualified.isPresent() ? qualified : load(v + name);
  }

  /** Whether {@code c} is a generated model (as opposed to String, Quantity, ...). */
  static boolean isModel(Class<?> c) {
    return c.getName().startsWith(PACKAGE);
  }

  /** JSON name → Java type of each serialized field, in declaration order. */
  static Map<String, Type> fields(Class<?> model) {
    Map<String, Type> out = new LinkedHashMap<>();
    for (Field f : model.getDeclaredFields()) {
      SerializedName json = f.getAnnotation(SerializedName.class);
      if (json != null && !Modifier.isStatic(f.getModifiers())) {
        out.put(json.value(), f.getGenericType());
      }
    }
    return out;
  }

  /** The JSON names the generator marked required ({@code openapiRequiredFields}). */
  @SuppressWarnings("unchecked")
  static Set<String> required(Class<?> model) {
    try {
      Field f = model.getDeclaredField("openapiRequiredFields");
      f.setAccessible(true);
      Object value = f.get(null);
      return value instanceof Set<?> s ? Set.copyOf((Set<String>) s) : Set.of();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return Set.of();
    }
  }

  private static Optional<Class<?>> load(String simpleName) {
    try {
      return Optional.of(Class.forName(PACKAGE + simpleName, false, ModelClasses.class.getClassLoader()));
    } catch (ClassNotFoundException e) {
      return Optional.empty();
    }
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
