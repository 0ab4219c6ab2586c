package io.pekkube.http.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.api.TypeRegistry;
import io.pekkube.actors.api.schema.Definition;
import io.pekkube.actors.api.schema.SchemaCatalog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAPI documents of the served types, built once from the {@link SchemaCatalog}: one v3
 * document per group-version ({@code api/v1}, {@code apis/apps/v1}), each with its hash for
 * immutable caching as Kubernetes does, and the single v2 document.
 */
public final class OpenApiDocuments {
  /** A serialized document and the hash clients put in {@code ?hash=}. */
  public record Document(String json, String hash) {}

  private final Map<String, Document> v3 = new LinkedHashMap<>();
  private final Document v2;
  private final byte[] v2Protobuf;

  public OpenApiDocuments(TypeRegistry types, SchemaCatalog catalog, String kubernetesVersion) {
    Map<String, List<ResourceType>> byGroupVersion = new LinkedHashMap<>();
    for (ResourceType t : types.all()) {
      String key = t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
      byGroupVersion.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
    }
    byGroupVersion.forEach((key, list) -> v3.put(key, document(build(list, catalog, true, kubernetesVersion))));
    ObjectNode v2Doc = build(types.all(), catalog, false, kubernetesVersion);
    this.v2 = document(v2Doc);
    this.v2Protobuf = OpenApiV2Protobuf.encode(v2Doc);
  }

  /** "api/v1" → its document, for every served group-version. */
  public Map<String, Document> v3() {
    return v3;
  }

  public Optional<Document> v3(String groupVersionPath) {
    return Optional.ofNullable(v3.get(groupVersionPath));
  }

  public Document v2() {
    return v2;
  }

  /** The v2 document as gnostic protobuf, for clients that accept only that form. */
  public byte[] v2Protobuf() {
    return v2Protobuf.clone();
  }

  /** The v3 discovery index: {@code {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=..."}}}}. */
  public ObjectNode v3Index() {
    ObjectNode index = Json.object();
    ObjectNode paths = index.putObject("paths");
    v3.forEach((key, doc) -> paths.putObject(key).put("serverRelativeURL", "/openapi/v3/" + key + "?hash=" + doc.hash()));
    return index;
  }

  private static ObjectNode build(List<ResourceType> types, SchemaCatalog catalog, boolean isV3, String version) {
    SchemaJson schemas = new SchemaJson(isV3);
    PathItems pathItems = new PathItems(schemas, isV3);
    ObjectNode doc = Json.object();
    if (isV3) {
      doc.put("openapi", "3.0.0");
    } else {
      doc.put("swagger", "2.0");
    }
    doc.putObject("info").put("title", "Kubernetes").put("version", version);
    ObjectNode paths = doc.putObject("paths");
    Map<String, List<ResourceType>> kindsByDefinition = new LinkedHashMap<>();
    for (ResourceType t : types) {
      Optional<Definition> d = catalog.kind(t);
      if (d.isPresent()) {
        kindsByDefinition.computeIfAbsent(d.get().name(), k -> new ArrayList<>()).add(t);
        pathItems.add(paths, t, d.get().name());
      }
    }
    ObjectNode definitions = isV3 ? doc.putObject("components").putObject("schemas") : doc.putObject("definitions");
    for (String name : catalog.closure(kindsByDefinition.keySet())) {
      definitions.set(name, schemas.definition(catalog.definition(name).orElseThrow(),
          kindsByDefinition.getOrDefault(name, List.of())));
    }
    return doc;
  }

  private static Document document(ObjectNode doc) {
    String json = Json.write(doc);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-512").digest(json.getBytes(StandardCharsets.UTF_8));
      return new Document(json, HexFormat.of().withUpperCase().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
