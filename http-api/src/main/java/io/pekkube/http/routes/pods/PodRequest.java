package io.pekkube.http.routes.pods;

import io.pekkube.actors.api.ResourceType;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.Query;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;

/** A request on a subresource of one pod, as the pod routes need it. */
public record PodRequest(String method, ResourceType pods, String namespace, String name, Query query,
    String mediaType, byte[] body, Optional<WebSocketUpgrade> webSocket, Optional<SpdyUpgrade> spdyUpgrade,
    boolean dryRun, String user) {}
