package io.pekkube.http.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.resources.ResourceHub;
import io.pekkube.http.errors.Statuses;
import java.nio.charset.StandardCharsets;

/** The JSON form of watch events, one object per line, as the Kubernetes watch stream has them. */
public final class WatchEvents {

  private WatchEvents() {}

  public static String line(ResourceType type, ResourceHub.WatchEvent event) {
    if (event instanceof ResourceHub.Change c) {
      // The object is already JSON text: splice it in rather than re-serializing.
      return "{\"type\":\"" + c.type() + "\",\"object\":" + c.object() + "}\n";
    } else if (event instanceof ResourceHub.Bookmark b) {
      ObjectNode object = Json.object();
      object.put("kind", type.kind());
      object.put("apiVersion", type.apiVersion());
      ObjectNode meta = object.putObject("metadata");
      meta.put("resourceVersion", Long.toString(b.resourceVersion()));
      if (b.initialEventsEnd()) {
        meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
      }
      return "{\"type\":\"BOOKMARK\",\"object\":" + Json.write(object) + "}\n";
    }
    if (!(event instanceof ResourceHub.WatchFailed f)) {
      throw new IllegalArgumentException("not a client-visible watch event: " + event);
    }
    return "{\"type\":\"ERROR\",\"object\":" + Json.write(Statuses.status(f.error())) + "}\n";
  }

  public static byte[] bytes(ResourceType type, ResourceHub.WatchEvent event) {
    return line(type, event).getBytes(StandardCharsets.UTF_8);
  }
}
