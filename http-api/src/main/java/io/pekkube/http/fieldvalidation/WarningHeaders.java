package io.pekkube.http.fieldvalidation;

import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/** Kubernetes' {@code Warning: 299 - "text"} response headers, one per warning. */
public final class WarningHeaders {
  private WarningHeaders() {}

  /** {@code response} with one {@code Warning: 299} header per warning, duplicates left out. */
  public static HttpResponse add(HttpResponse response, List<String> warnings) {
    return response.addHeaders(warnings.stream().distinct()
        .map(w -> (HttpHeader) RawHeader.create("Warning", "299 - \"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\""))
        .toList());
  }
}
