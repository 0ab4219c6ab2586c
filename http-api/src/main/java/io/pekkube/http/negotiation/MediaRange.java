package io.pekkube.http.negotiation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One alternative of an {@code Accept} header: {@code type/subtype;param=value...}. Kubernetes
 * clients ask for conversions through parameters ({@code as=Table;g=meta.k8s.io;v=v1},
 * {@code as=APIGroupDiscoveryList;g=apidiscovery.k8s.io;v=v2}) and list alternatives in order of
 * preference, the plain form last.
 */
public record MediaRange(String type, String subtype, Map<String, String> params) {

  public MediaRange {
    params = Map.copyOf(params);
  }

  /** The alternatives of an Accept header in the order the client gave them; none for "". */
  public static List<MediaRange> parseAll(String accept) {
    List<MediaRange> out = new ArrayList<>();
    if (accept == null) {
      return out;
    }
    for (String part : accept.split(",")) {
      if (!part.isBlank()) {
        out.add(parse(part));
      }
    }
    return out;
  }

  static MediaRange parse(String text) {
    String[] pieces = text.split(";");
    String full = pieces[0].trim().toLowerCase(Locale.ROOT);
    int slash = full.indexOf('/');
    String type = slash < 0 ? full : full.substring(0, slash);
    String subtype = slash < 0 ? "*" : full.substring(slash + 1);
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 1; i < pieces.length; i++) {
      String p = pieces[i].trim();
      int eq = p.indexOf('=');
      if (eq > 0) {
        params.put(p.substring(0, eq).trim().toLowerCase(Locale.ROOT), unquote(p.substring(eq + 1).trim()));
      }
    }
    return new MediaRange(type, subtype, params);
  }

  private static String unquote(String v) {
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
  }

  /** application/json, application/*, or * / * (the client takes JSON). */
  public boolean acceptsJson() {
    return type.equals("*") || type.equals("application") && (subtype.equals("*") || subtype.equals("json"));
  }

  public String param(String name) {
    return params.getOrDefault(name, "");
  }

  /** True when the client asks for a conversion ({@code as=...}), not for the plain object. */
  public boolean asksConversion() {
    return !param("as").isEmpty();
  }
}
