package io.pekkube.actors.controllers.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.gateway.ApiClient;
import io.pekkube.actors.resources.ResourceEntity;
import java.util.concurrent.CompletionStage;

/**
 * Writes an object a controller changed from its view, as client-go's {@code Update}: through the gateway,
 * as the controller's user, with the resourceVersion it was read at. A conflict fails the sync, which is
 * tried again after its back-off, by when the watch has brought the newer object; an object already gone
 * counts as written.
 */
public final class ObjectWriter {
  private final ApiClient client;
  private final ResourceType type;
  private final String user;

  public ObjectWriter(ApiClient client, ResourceType type, String user) {
    this.client = client;
    this.type = type;
    this.user = user;
  }

  /** A write the API refused. */
  public static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  public CompletionStage<Void> update(ObjectNode object) {
    String namespace = Json.meta(object, "namespace");
    String name = Json.meta(object, "name");
    return client.update(type, namespace, object, false, false, user).thenAccept(result -> {
      if (result instanceof ResourceEntity.Rejected rejected && rejected.error().code() != 404) {
        throw new Refused("updating " + type.resourceKey() + " " + (namespace.isEmpty() ? "" : namespace + "/")
            + name + ": " + rejected.error().code() + " " + rejected.error().message());
      }
    });
  }
}
