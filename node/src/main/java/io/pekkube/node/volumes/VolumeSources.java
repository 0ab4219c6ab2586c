package io.pekkube.node.volumes;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * The data volumes are made from, already fetched by the kubelet (it reads ConfigMaps, Secrets, and
 * the claims and volumes of PersistentVolumeClaims through the API; this package never does).
 */
public interface VolumeSources {
  /** A ConfigMap's {@code data} and {@code binaryData} as bytes, or empty when it does not exist. */
  Optional<Map<String, byte[]>> configMap(String namespace, String name);

  /** A Secret's {@code data}, decoded, or empty when it does not exist. */
  Optional<Map<String, byte[]>> secret(String namespace, String name);

  /** A token for a projected {@code serviceAccountToken} source, or empty when none can be issued. */
  default Optional<String> serviceAccountToken(String namespace, String serviceAccount, String audience,
      long expirationSeconds) {
    return Optional.empty();
  }

  /** A PersistentVolumeClaim, or empty when it does not exist. */
  default Optional<JsonNode> persistentVolumeClaim(String namespace, String name) {
    return Optional.empty();
  }

  /** A PersistentVolume, or empty when it does not exist. */
  default Optional<JsonNode> persistentVolume(String name) {
    return Optional.empty();
  }

  /** The node's allocatable resources ({@code cpu} in cores, {@code memory} in bytes): limits default to them. */
  default Map<String, BigDecimal> nodeAllocatable() {
    return Map.of();
  }
}
