package io.pekkube.node.volumes;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values of the downward API, for volumes and env alike: {@code fieldRef} paths of the pod and
 * {@code resourceFieldRef} values of a container, formatted as the kubelet formats them.
 */
public final class DownwardApi {
  private static final Pattern SUBSCRIPT = Pattern.compile("^metadata\\.(labels|annotations)\\['(.+)'\\]$");

  private DownwardApi() {}

  /** A {@code fieldRef.fieldPath}'s value, or empty when the path is not supported (or the pod lacks it). */
  public static Optional<String> fieldValue(JsonNode pod, String fieldPath) {
    Matcher subscript = SUBSCRIPT.matcher(fieldPath);
    if (subscript.matches()) {
      JsonNode value = pod.path("metadata").path(subscript.group(1)).path(subscript.group(2));
      return Optional.of(value.isTextual() ? value.asText() : "");
    }
    return switch (fieldPath) {
      case "metadata.name", "metadata.namespace", "metadata.uid" -> text(pod.path("metadata").path(fieldPath.substring(9)));
      case "metadata.labels", "metadata.annotations" -> Optional.of(formatMap(pod.path("metadata").path(fieldPath.substring(9))));
      case "spec.nodeName", "spec.serviceAccountName" -> text(pod.path("spec").path(fieldPath.substring(5)));
      case "status.hostIP", "status.podIP" -> text(pod.path("status").path(fieldPath.substring(7)));
      case "status.hostIPs", "status.podIPs" -> {
        List<String> ips = new ArrayList<>();
        pod.path("status").path(fieldPath.substring(7)).forEach(ip -> ips.add(ip.path("ip").asText()));
        yield Optional.of(String.join(",", ips));
      }
      default -> Optional.empty();
    };
  }

  /**
   * A {@code resourceFieldRef}'s value: the container's limit or request divided by {@code divisor},
   * rounded up. An unset limit is the node's allocatable amount, as the kubelet reports it.
   */
  public static Optional<String> resourceValue(JsonNode pod, String containerName, String resource, String divisor,
      Map<String, BigDecimal> nodeAllocatable) {
    JsonNode container = null;
    for (JsonNode c : pod.path("spec").path("containers")) {
      if (c.path("name").asText().equals(containerName)) {
        container = c;
      }
    }
    if (container == null || !resource.matches("(limits|requests)\\.(cpu|memory|ephemeral-storage)")) {
      return Optional.empty();
    }
    String[] parts = resource.split("\\.", 2);
    JsonNode amount = container.path("resources").path(parts[0]).path(parts[1]);
    BigDecimal value;
    if (amount.isTextual() || amount.isNumber()) {
      value = Quantity.exact(amount.asText());
    } else if (parts[0].equals("limits")) {
      value = nodeAllocatable.getOrDefault(parts[1], BigDecimal.ZERO);
    } else {
      value = BigDecimal.ZERO;
    }
    BigDecimal by = Quantity.exact(divisor == null || divisor.isEmpty() ? "1" : divisor);
    if (by.signum() == 0) {
      return Optional.empty();
    }
    return Optional.of(value.divide(by, 0, RoundingMode.CEILING).toPlainString());
  }

  /** Labels or annotations as the kubelet writes them: sorted {@code key="value"} lines. */
  static String formatMap(JsonNode map) {
    TreeMap<String, String> sorted = new TreeMap<>();
    map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    List<String> lines = new ArrayList<>();
    sorted.forEach((k, v) -> lines.add(k + "=" + goQuote(v)));
    return String.join("\n", lines);
  }

  /** Go's {@code %q} for the strings labels and annotations hold. */
  private static String goQuote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static Optional<String> text(JsonNode node) {
    return Optional.of(node.isValueNode() ? node.asText() : "");
  }
}
