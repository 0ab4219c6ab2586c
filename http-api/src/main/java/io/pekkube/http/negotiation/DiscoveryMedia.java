package io.pekkube.http.negotiation;

import io.pekkube.http.routes.Discovery;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.MediaTypes;

/** The Content-Type of aggregated discovery, which clients check (g, v, as) before decoding. */
public final class DiscoveryMedia {
  private DiscoveryMedia() {}

  public static ContentType.WithFixedCharset contentType(String version) {
    return MediaTypes.customWithFixedCharset("application", "json", HttpCharsets.UTF_8,
            Map.of("g", Discovery.AGGREGATED_GROUP, "v", version, "as", Discovery.AGGREGATED_KIND), false)
        .toContentType();
  }
}
