package io.pekkube.http.routes.pods;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Graph;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.SourceShape;

/**
 * A WebSocket upgrade whose offered subprotocols are read from the {@code Sec-WebSocket-Protocol}
 * headers as sent. Kubernetes names subprotocols that are not HTTP tokens
 * ({@code SPDY/3.1+portforward.k8s.io}); Pekko HTTP's header model does not parse those, so it would
 * see none offered and refuse to choose one. Choosing such a subprotocol answers the handshake without
 * one and names it in a raw response header.
 */
public final class OfferedSubprotocols implements WebSocketUpgrade {
  private static final String HEADER = "Sec-WebSocket-Protocol";

  private final WebSocketUpgrade upgrade;
  private final List<String> offered;
  private final List<String> parsed = new ArrayList<>();

  private OfferedSubprotocols(WebSocketUpgrade upgrade, List<String> offered) {
    this.upgrade = upgrade;
    this.offered = offered;
    upgrade.getRequestedProtocols().forEach(parsed::add);
  }

  /** The request's WebSocket upgrade, if it is one. */
  public static Optional<WebSocketUpgrade> of(HttpRequest request) {
    List<String> offered = new ArrayList<>();
    for (HttpHeader h : request.getHeaders()) {
      if (h.is(HEADER.toLowerCase(java.util.Locale.ROOT))) {
        for (String p : h.value().split(",")) {
          if (!p.isBlank()) {
            offered.add(p.trim());
          }
        }
      }
    }
    return request.getAttribute(AttributeKeys.webSocketUpgrade)
        .map(upgrade -> new OfferedSubprotocols(upgrade, List.copyOf(offered)));
  }

  @Override
  public Iterable<String> getRequestedProtocols() {
    return offered;
  }

  @Override
  public HttpResponse handleMessagesWith(Graph<FlowShape<Message, Message>, ?> handler) {
    return upgrade.handleMessagesWith(handler);
  }

  @Override
  public HttpResponse handleMessagesWith(Graph<FlowShape<Message, Message>, ?> handler, String subprotocol) {
    if (parsed.contains(subprotocol)) {
      return upgrade.handleMessagesWith(handler, subprotocol);
    }
    return named(upgrade.handleMessagesWith(handler), subprotocol);
  }

  @Override
  public HttpResponse handleMessagesWith(Graph<SinkShape<Message>, ?> inSink, Graph<SourceShape<Message>, ?> outSource) {
    return upgrade.handleMessagesWith(inSink, outSource);
  }

  @Override
  public HttpResponse handleMessagesWith(Graph<SinkShape<Message>, ?> inSink, Graph<SourceShape<Message>, ?> outSource,
      String subprotocol) {
    if (parsed.contains(subprotocol)) {
      return upgrade.handleMessagesWith(inSink, outSource, subprotocol);
    }
    return named(upgrade.handleMessagesWith(inSink, outSource), subprotocol);
  }

  private HttpResponse named(HttpResponse response, String subprotocol) {
    if (!offered.contains(subprotocol)) {
      throw new IllegalArgumentException("subprotocol " + subprotocol + " was not offered: " + offered);
    }
    return response.addHeader(RawHeader.create(HEADER, subprotocol));
  }
}
