package io.pekkube.http.tables;

import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.resources.ResourceHub;
import io.pekkube.http.watch.WatchEvents;
import java.time.Clock;
import java.util.function.Function;

/**
 * The watch events of one Table watch: every object becomes a Table of one row; as in Kubernetes,
 * only the first event carries the column definitions. ERROR events keep their Status.
 * One instance per watch stream (it remembers whether the headers went out).
 */
public final class TableWatchEvents implements Function<ResourceHub.WatchEvent, String> {
  private final ResourceType type;
  private final TableRequest request;
  private final Clock clock;
  private boolean headersSent;

  public TableWatchEvents(ResourceType type, TableRequest request, Clock clock) {
    this.type = type;
    this.request = request;
    this.clock = clock;
  }

  @Override
  public String apply(ResourceHub.WatchEvent event) {
    if (event instanceof ResourceHub.Change c) {
      String table = Json.write(Tables.ofObject(type, request, Json.parseTrusted(c.object()), !headersSent,
          clock.instant()));
      headersSent = true;
      return "{\"type\":\"" + c.type() + "\",\"object\":" + table + "}\n";
    } else if (event instanceof ResourceHub.Bookmark b) {
      String table = Json.write(Tables.bookmark(request, b.resourceVersion(), !headersSent, type));
      headersSent = true;
      return "{\"type\":\"BOOKMARK\",\"object\":" + table + "}\n";
    }
    return WatchEvents.line(type, event);
  }
}
