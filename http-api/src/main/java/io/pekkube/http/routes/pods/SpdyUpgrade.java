package io.pekkube.http.routes.pods;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.impl.engine.server.UpgradeToOtherProtocolResponseHeader;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * A request to switch its HTTP/1.1 connection to SPDY/3.1 ({@code Connection: Upgrade},
 * {@code Upgrade: SPDY/3.1}), offering the stream protocols of its {@code X-Stream-Protocol-Version}
 * headers. kubectl up to 1.29 streams only this way; later ones fall back to it when a WebSocket is
 * refused. After the {@code 101} answer the connection's bytes are the SPDY session's.
 *
 * <p>Pekko HTTP switches a server connection to another protocol through a response header of its
 * engine ({@code UpgradeToOtherProtocolResponseHeader}, the way its WebSocket and h2c upgrades do):
 * that header is internal API, pinned by the Pekko HTTP version in the parent POM.
 */
public record SpdyUpgrade(List<String> protocols) {
  public static final String SPDY_31 = "SPDY/3.1";
  public static final String PROTOCOL_VERSION = "X-Stream-Protocol-Version";

  public static Optional<SpdyUpgrade> of(HttpRequest request) {
    boolean connectionUpgrade = false;
    boolean spdy = false;
    List<String> protocols = new ArrayList<>();
    for (HttpHeader h : request.getHeaders()) {
      String name = h.lowercaseName();
      if (name.equals("connection")) {
        connectionUpgrade |= tokens(h.value()).contains("upgrade");
      } else if (name.equals("upgrade")) {
        spdy |= tokens(h.value()).contains(SPDY_31.toLowerCase(Locale.ROOT));
      } else if (name.equals(PROTOCOL_VERSION.toLowerCase(Locale.ROOT))) {
        for (String p : h.value().split(",")) {
          if (!p.isBlank()) {
            protocols.add(p.trim());
          }
        }
      }
    }
    return connectionUpgrade && spdy ? Optional.of(new SpdyUpgrade(List.copyOf(protocols))) : Optional.empty();
  }

  /** {@code 101 Switching Protocols} to SPDY/3.1 with {@code protocol}; then {@code connection} has the bytes. */
  public HttpResponse accept(String protocol, Flow<ByteString, ByteString, NotUsed> connection) {
    return HttpResponse.create().withStatus(StatusCodes.SWITCHING_PROTOCOLS)
        .addHeader(HttpHeader.parse("Connection", "Upgrade"))
        .addHeader(HttpHeader.parse("Upgrade", SPDY_31))
        .addHeader(RawHeader.create(PROTOCOL_VERSION, protocol))
        .addHeader(new UpgradeToOtherProtocolResponseHeader(
            connection.<Object>mapMaterializedValue(m -> m).asScala()));
  }

  private static List<String> tokens(String value) {
    List<String> tokens = new ArrayList<>();
    for (String t : value.split(",")) {
      tokens.add(t.trim().toLowerCase(Locale.ROOT));
    }
    return tokens;
  }
}
