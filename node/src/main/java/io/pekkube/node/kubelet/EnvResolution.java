package io.pekkube.node.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.custom.Quantity;
import io.pekkube.node.runtime.ContainerCommand;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as the kubelet's {@code makeEnvironmentVariables} builds it: {@code envFrom}
 * first (ConfigMaps and Secrets, with their prefix; keys that are not valid names are skipped), then
 * {@code env} in order, each value with {@code $(VAR)} references to earlier variables expanded, and
 * {@code valueFrom} read from ConfigMaps, Secrets, the pod's fields and the container's resources.
 * A missing non-optional ConfigMap, Secret or key fails with Kubernetes' message; the container then
 * waits with reason {@code CreateContainerConfigError}. Pure: the objects are looked up by the caller.
 */
public final class EnvResolution {

  /** The lookups of ConfigMaps and Secrets by name in the pod's namespace (empty when absent). */
  public record Sources(Function<String, Optional<JsonNode>> configMap, Function<String, Optional<JsonNode>> secret) {}

  /** The pod facts a fieldRef or resourceFieldRef can read that are not in the pod object itself. */
  public record NodeFacts(String hostIp, String podIp, long allocatableCpuMillis, long allocatableMemoryBytes) {}

  /** The environment, or the message of why it cannot be built. */
  public record Result(Map<String, String> env, String error) {
    static Result failed(String error) {
      return new Result(Map.of(), error);
    }
  }

  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
  private static final Pattern FIELD_MAP_KEY = Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

  private EnvResolution() {}

  /** Names of the ConfigMaps the container's env refers to. */
  public static Set<String> configMapNames(JsonNode container) {
    return referenced(container, "configMapKeyRef", "configMapRef");
  }

  /** Names of the Secrets the container's env refers to. */
  public static Set<String> secretNames(JsonNode container) {
    return referenced(container, "secretKeyRef", "secretRef");
  }

  private static Set<String> referenced(JsonNode container, String keyRef, String fromRef) {
    Set<String> names = new LinkedHashSet<>();
    container.path("env").forEach(e -> {
      JsonNode ref = e.path("valueFrom").path(keyRef);
      if (ref.isObject()) {
        names.add(ref.path("name").asText(""));
      }
    });
    container.path("envFrom").forEach(f -> {
      JsonNode ref = f.path(fromRef);
      if (ref.isObject()) {
        names.add(ref.path("name").asText(""));
      }
    });
    return names;
  }

  public static Result resolve(JsonNode pod, JsonNode container, Sources sources, NodeFacts node) {
    Map<String, String> env = new LinkedHashMap<>();
    String namespace = pod.path("metadata").path("namespace").asText("");
    for (JsonNode from : container.path("envFrom")) {
      String prefix = from.path("prefix").asText("");
      boolean isConfigMap = from.path("configMapRef").isObject();
      JsonNode ref = isConfigMap ? from.path("configMapRef") : from.path("secretRef");
      if (!ref.isObject()) {
        continue;
      }
      String name = ref.path("name").asText("");
      boolean optional = ref.path("optional").asBoolean(false);
      Optional<JsonNode> object = isConfigMap ? sources.configMap().apply(name) : sources.secret().apply(name);
      if (object.isEmpty()) {
        if (optional) {
          continue;
        }
        return Result.failed((isConfigMap ? "configmap \"" : "secret \"") + name + "\" not found");
      }
      for (Map.Entry<String, String> entry : data(object.get(), !isConfigMap).entrySet()) {
        String key = prefix + entry.getKey();
        if (ENV_NAME.matcher(key).matches()) {
          env.put(key, entry.getValue());
        }
      }
    }
    for (JsonNode var : container.path("env")) {
      String name = var.path("name").asText("");
      JsonNode valueFrom = var.path("valueFrom");
      if (!valueFrom.isObject()) {
        env.put(name, ContainerCommand.expand(var.path("value").asText(""), env));
        continue;
      }
      Optional<String> value;
      if (valueFrom.path("configMapKeyRef").isObject()) {
        JsonNode ref = valueFrom.path("configMapKeyRef");
        Result failure = keyRef(ref, sources.configMap(), false, namespace, env, name);
        if (failure != null) {
          return failure;
        }
        continue;
      } else if (valueFrom.path("secretKeyRef").isObject()) {
        JsonNode ref = valueFrom.path("secretKeyRef");
        Result failure = keyRef(ref, sources.secret(), true, namespace, env, name);
        if (failure != null) {
          return failure;
        }
        continue;
      } else if (valueFrom.path("fieldRef").isObject()) {
        value = fieldValue(pod, valueFrom.path("fieldRef").path("fieldPath").asText(""), node);
        if (value.isEmpty()) {
          return Result.failed("unsupported fieldPath: " + valueFrom.path("fieldRef").path("fieldPath").asText(""));
        }
      } else if (valueFrom.path("resourceFieldRef").isObject()) {
        value = resourceValue(pod, container, valueFrom.path("resourceFieldRef"), node);
        if (value.isEmpty()) {
          return Result.failed("unsupported container resource: "
              + valueFrom.path("resourceFieldRef").path("resource").asText(""));
        }
      } else {
        value = Optional.of("");
      }
      env.put(name, value.get());
    }
    return new Result(env, null);
  }

  /** Puts a ConfigMap or Secret key's value into {@code env}; a failure to return, or null. */
  private static Result keyRef(JsonNode ref, Function<String, Optional<JsonNode>> lookup, boolean secret,
      String namespace, Map<String, String> env, String name) {
    String object = ref.path("name").asText("");
    String key = ref.path("key").asText("");
    boolean optional = ref.path("optional").asBoolean(false);
    Optional<JsonNode> found = lookup.apply(object);
    if (found.isEmpty()) {
      return optional ? null : Result.failed((secret ? "secret \"" : "configmap \"") + object + "\" not found");
    }
    String value = data(found.get(), secret).get(key);
    if (value == null) {
      return optional ? null
          : Result.failed("couldn't find key " + key + " in " + (secret ? "Secret " : "ConfigMap ") + namespace + "/"
              + object);
    }
    env.put(name, value);
    return null;
  }

  /** A ConfigMap's data and binaryData, or a Secret's data (base64) and stringData, as strings. */
  static Map<String, String> data(JsonNode object, boolean secret) {
    Map<String, String> out = new java.util.TreeMap<>();
    if (secret) {
      object.path("data").fields().forEachRemaining(e ->
          out.put(e.getKey(), new String(Base64.getDecoder().decode(e.getValue().asText("")), StandardCharsets.UTF_8)));
      object.path("stringData").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText("")));
    } else {
      object.path("binaryData").fields().forEachRemaining(e ->
          out.put(e.getKey(), new String(Base64.getDecoder().decode(e.getValue().asText("")), StandardCharsets.UTF_8)));
      object.path("data").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText("")));
    }
    return out;
  }

  /** {@code podFieldSelectorRuntimeValue}: the fields a pod's env may read. */
  static Optional<String> fieldValue(JsonNode pod, String path, NodeFacts node) {
    JsonNode meta = pod.path("metadata");
    Matcher m = FIELD_MAP_KEY.matcher(path);
    if (m.matches()) {
      return Optional.of(meta.path(m.group(1)).path(m.group(2)).asText(""));
    }
    return switch (path) {
      case "metadata.name" -> Optional.of(meta.path("name").asText(""));
      case "metadata.namespace" -> Optional.of(meta.path("namespace").asText(""));
      case "metadata.uid" -> Optional.of(meta.path("uid").asText(""));
      case "spec.nodeName" -> Optional.of(pod.path("spec").path("nodeName").asText(""));
      case "spec.serviceAccountName" -> Optional.of(pod.path("spec").path("serviceAccountName").asText(""));
      case "status.hostIP", "status.hostIPs" -> Optional.of(node.hostIp());
      case "status.podIP", "status.podIPs" -> Optional.of(node.podIp());
      default -> Optional.empty();
    };
  }

  /**
   * {@code ExtractResourceValueByContainerName}: a limit or request divided by the divisor, rounded up;
   * an unset limit reads the node's allocatable, as Kubernetes defaults it.
   */
  static Optional<String> resourceValue(JsonNode pod, JsonNode container, JsonNode ref, NodeFacts node) {
    JsonNode target = container;
    String containerName = ref.path("containerName").asText("");
    if (!containerName.isEmpty()) {
      target = null;
      for (JsonNode c : pod.path("spec").path("containers")) {
        if (containerName.equals(c.path("name").asText())) {
          target = c;
        }
      }
      if (target == null) {
        return Optional.empty();
      }
    }
    String resource = ref.path("resource").asText("");
    String[] parts = resource.split("\\.", 2);
    if (parts.length != 2 || !(parts[0].equals("limits") || parts[0].equals("requests"))) {
      return Optional.empty();
    }
    JsonNode resources = target.path("resources");
    String given = resources.path(parts[0]).path(parts[1]).asText("");
    if (given.isEmpty() && parts[0].equals("requests")) {
      given = resources.path("limits").path(parts[1]).asText("");
    }
    BigDecimal amount;
    if (!given.isEmpty()) {
      amount = new Quantity(given).getNumber();
    } else if (parts[1].equals("cpu")) {
      amount = parts[0].equals("requests") ? BigDecimal.ZERO : BigDecimal.valueOf(node.allocatableCpuMillis(), 3);
    } else if (parts[1].equals("memory")) {
      amount = parts[0].equals("requests") ? BigDecimal.ZERO : BigDecimal.valueOf(node.allocatableMemoryBytes());
    } else {
      amount = BigDecimal.ZERO;
    }
    String divisorText = ref.path("divisor").asText("");
    BigDecimal divisor = divisorText.isEmpty() || new Quantity(divisorText).getNumber().signum() == 0
        ? BigDecimal.ONE : new Quantity(divisorText).getNumber();
    BigDecimal value = amount.divide(divisor, 0, RoundingMode.CEILING);
    if (parts[1].equals("cpu") && value.signum() == 0 && amount.signum() > 0) {
      value = BigDecimal.ONE;
    }
    return Optional.of(value.toPlainString());
  }
}
