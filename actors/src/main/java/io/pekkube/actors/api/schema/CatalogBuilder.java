package io.pekkube.actors.api.schema;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.schema.Definition.Kind;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Derives {@link Definition}s from the two generated sources of Kubernetes' types: the protobuf
 * descriptors give the structure and the names; the OpenAPI model classes add what the protobuf
 * jar lacks (kinds it does not carry, fields newer than its descriptors, required fields, and
 * which protobuf fields Go inlines into their parent's JSON).
 */
final class CatalogBuilder {
  static final String TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
  static final String MICRO_TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
  static final String FIELDS_V1 = "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1";
  static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
  static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
  static final String RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension";

  private static final Map<String, Kind> SPECIAL = Map.of(
      TIME, Kind.DATE_TIME, MICRO_TIME, Kind.DATE_TIME, QUANTITY, Kind.QUANTITY,
      INT_OR_STRING, Kind.INT_OR_STRING, RAW_EXTENSION, Kind.FREE_FORM, FIELDS_V1, Kind.FREE_FORM);

  private final ProtoTypes proto = ProtoTypes.get();
  private final Map<String, Definition> definitions = new LinkedHashMap<>();
  private final Set<String> inProgress = new HashSet<>();
  private final Map<String, String> roots = new HashMap<>();
  /** "k8s.io.api.core.v1.Volume.volumeSource": protobuf fields whose message Go inlines in JSON. */
  private final Set<String> inlined = new HashSet<>();

  SchemaCatalog build(Iterable<ResourceType> types) {
    for (ResourceType t : types) {
      root(t).ifPresent(name -> roots.put(SchemaCatalog.gvk(t.apiVersion(), t.kind()), name));
    }
    return new SchemaCatalog(definitions, roots, inlined);
  }

  private Optional<String> root(ResourceType t) {
    Optional<Descriptor> message = proto.kind(t.group(), t.version(), t.kind());
    Optional<Class<?>> model = ModelClasses.find(t.group(), t.version(), t.kind());
    if (message.isPresent()) {
      return Optional.of(fromProto(message.get()));
    }
    if (model.isPresent()) {
      String name = ProtoTypes.apiPackage(t.group(), t.version()) + "." + t.kind();
      fromModel(name, model.get());
      return Optional.of(name);
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- protobuf messages

  private String fromProto(Descriptor message) {
    String name = ProtoTypes.openApiName(message);
    if (SPECIAL.containsKey(name)) {
      special(name);
      return name;
    }
    if (definitions.containsKey(name) || !inProgress.add(name)) {
      return name;
    }
    Class<?> model = matchingModel(message).orElse(null);
    Map<String, Type> modelFields = model == null ? Map.of() : ModelClasses.fields(model);
    Map<String, FieldType> properties = new LinkedHashMap<>();
    for (FieldDescriptor f : message.getFields()) {
      if (isInlined(f, modelFields)) {
        inlined.add(message.getFullName() + "." + f.getName());
        for (FieldDescriptor inner : f.getMessageType().getFields()) {
          properties.put(inner.getName(), protoField(inner));
        }
      } else {
        properties.put(f.getName(), protoField(f));
      }
    }
    String context = name.substring(0, name.lastIndexOf('.'));
    modelFields.forEach((json, type) -> {
      if (!properties.containsKey(json)) {
        properties.put(json, modelField(type, context));
      }
    });
    Set<String> required = model == null ? Set.of() : ModelClasses.required(model);
    definitions.put(name, new Definition(name, Kind.OBJECT, properties, required));
    return name;
  }

  private FieldType protoField(FieldDescriptor f) {
    if (f.isMapField()) {
      return new FieldType.MapOf(protoValue(f.getMessageType().findFieldByName("value")));
    }
    FieldType value = protoValue(f);
    return f.isRepeated() ? new FieldType.ArrayOf(value) : value;
  }

  private FieldType protoValue(FieldDescriptor f) {
    return switch (f.getJavaType()) {
      case INT -> FieldType.Scalar.INT32;
      case LONG -> FieldType.Scalar.INT64;
      case FLOAT, DOUBLE -> FieldType.Scalar.DOUBLE;
      case BOOLEAN -> FieldType.Scalar.BOOLEAN;
      case STRING, ENUM -> FieldType.Scalar.STRING;
      case BYTE_STRING -> FieldType.Scalar.BYTES;
      case MESSAGE -> f.getMessageType().getFullName().equals(ProtoTypes.DURATION)
          ? FieldType.Scalar.STRING
          : new FieldType.Ref(fromProto(f.getMessageType()));
    };
  }

  /**
   * A message field whose name the JSON of the type does not have, while the JSON has every field
   * of that message, is embedded with {@code json:",inline"} in Go (Volume.volumeSource,
   * Probe.handler, EphemeralContainer.ephemeralContainerCommon).
   */
  private static boolean isInlined(FieldDescriptor f, Map<String, Type> modelFields) {
    if (modelFields.isEmpty() || f.getJavaType() != FieldDescriptor.JavaType.MESSAGE || f.isRepeated()
        || modelFields.containsKey(f.getName())) {
      return false;
    }
    for (FieldDescriptor inner : f.getMessageType().getFields()) {
      if (!modelFields.containsKey(inner.getName())) {
        return false;
      }
    }
    return true;
  }

  /** The model class describing the same type, if its JSON fields cover the message's fields. */
  private Optional<Class<?>> matchingModel(Descriptor message) {
    String pkg = message.getFile().getPackage();
    String[] parts = pkg.split("\\.");
    String group = parts.length >= 2 ? parts[parts.length - 2] : "";
    return ModelClasses.find(group, ProtoTypes.version(message), message.getName())
        .filter(c -> covers(ModelClasses.fields(c), message));
  }

  private static boolean covers(Map<String, Type> modelFields, Descriptor message) {
    for (FieldDescriptor f : message.getFields()) {
      if (!modelFields.containsKey(f.getName()) && !isInlined(f, modelFields)) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- model classes

  private void fromModel(String name, Class<?> model) {
    if (definitions.containsKey(name) || !inProgress.add(name)) {
      return;
    }
    String context = name.substring(0, name.lastIndexOf('.'));
    Map<String, FieldType> properties = new LinkedHashMap<>();
    ModelClasses.fields(model).forEach((json, type) -> properties.put(json, modelField(type, context)));
    definitions.put(name, new Definition(name, Kind.OBJECT, properties, ModelClasses.required(model)));
  }

  private FieldType modelField(Type type, String context) {
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      Type[] args = p.getActualTypeArguments();
      if (java.util.List.class.isAssignableFrom(raw) || java.util.Set.class.isAssignableFrom(raw)) {
        return new FieldType.ArrayOf(modelField(args[0], context));
      }
      if (Map.class.isAssignableFrom(raw)) {
        return new FieldType.MapOf(modelField(args[1], context));
      }
    }
    if (!(type instanceof Class<?> c)) {
      return new FieldType.Ref(special(RAW_EXTENSION));
    }
    if (c == String.class) {
      return FieldType.Scalar.STRING;
    } else if (c == Integer.class) {
      return FieldType.Scalar.INT32;
    } else if (c == Long.class) {
      return FieldType.Scalar.INT64;
    } else if (c == Double.class || c == Float.class || c == BigDecimal.class) {
      return FieldType.Scalar.DOUBLE;
    } else if (c == Boolean.class) {
      return FieldType.Scalar.BOOLEAN;
    } else if (c == byte[].class) {
      return FieldType.Scalar.BYTES;
    } else if (c == OffsetDateTime.class) {
      return new FieldType.Ref(special(TIME));
    } else if (c == Quantity.class) {
      return new FieldType.Ref(special(QUANTITY));
    } else if (c == IntOrString.class) {
      return new FieldType.Ref(special(INT_OR_STRING));
    } else if (ModelClasses.isModel(c)) {
      return new FieldType.Ref(modelRef(c, context));
    }
    return new FieldType.Ref(special(RAW_EXTENSION));
  }

  /**
   * The definition of a nested model class: the protobuf message of the same version and name when
   * exactly one group has it (V1ObjectMeta → meta/v1), otherwise a definition in the package of
   * the type that refers to it, or of the group its class name carries (DiscoveryV1EndpointPort).
   */
  private String modelRef(Class<?> c, String context) {
    Optional<ModelClasses.Parsed> parsed = ModelClasses.parse(c);
    if (parsed.isEmpty()) {
      String name = context + "." + c.getSimpleName();
      fromModel(name, c);
      return name;
    }
    ModelClasses.Parsed p = parsed.get();
    if (p.group().isEmpty()) {
      Optional<Descriptor> message = proto.unique(p.version(), p.name());
      if (message.isPresent()) {
        return fromProto(message.get());
      }
    }
    String pkg = p.group().isEmpty() ? context : ProtoTypes.apiPackage(p.group(), p.version());
    String name = pkg + "." + p.name();
    fromModel(name, c);
    return name;
  }

  private String special(String name) {
    definitions.computeIfAbsent(name, n -> new Definition(n, SPECIAL.get(n), Map.of(), Set.of()));
    return name;
  }
}
