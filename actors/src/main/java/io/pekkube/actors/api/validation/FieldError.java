package io.pekkube.actors.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One field-level validation failure, shaped like apimachinery's {@code field.Error} so that it
 * maps one-to-one onto a {@code Status} cause ({@code field}, {@code reason}, {@code message}).
 *
 * @param field   the field path, e.g. {@code metadata.name} or {@code metadata.labels}
 * @param reason  the Kubernetes cause type
 * @param value   the offending value (a String, number, boolean, list of strings, JsonNode or null)
 * @param message the detail, worded exactly as Kubernetes words it; may be empty
 */
public record FieldError(String field, Reason reason, Object value, String message) {

  /** Kubernetes {@code metav1.CauseType} values used for field errors. */
  public enum Reason {
    INVALID("FieldValueInvalid", "Invalid value"),
    REQUIRED("FieldValueRequired", "Required value"),
    TOO_LONG("FieldValueTooLong", "Too long"),
    NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
    FORBIDDEN("FieldValueForbidden", "Forbidden"),
    DUPLICATE("FieldValueDuplicate", "Duplicate value");

    private final String causeType;
    private final String title;

    Reason(String causeType, String title) {
      this.causeType = causeType;
      this.title = title;
    }

    /** The string that goes into {@code details.causes[].reason}, e.g. "FieldValueInvalid". */
    public String causeType() {
      return causeType;
    }

    /** The human prefix of the error body, e.g. "Invalid value". */
    public String title() {
      return title;
    }
  }

  public FieldError {
    message = message == null ? "" : message;
  }

  public static FieldError invalid(String field, Object value, String message) {
    return new FieldError(field, Reason.INVALID, value, message);
  }

  public static FieldError required(String field, String message) {
    return new FieldError(field, Reason.REQUIRED, "", message);
  }

  public static FieldError forbidden(String field, String message) {
    return new FieldError(field, Reason.FORBIDDEN, "", message);
  }

  /** {@code field.TooLong}: the value is never echoed back. */
  public static FieldError tooLong(String field, Object value, int maxBytes) {
    return new FieldError(field, Reason.TOO_LONG, value,
        "must have at most " + maxBytes + " bytes");
  }

  public static FieldError duplicate(String field, Object value) {
    return new FieldError(field, Reason.DUPLICATE, value, "");
  }

  public static FieldError notSupported(String field, Object value,
      Collection<String> validValues) {
    String detail = "";
    if (!validValues.isEmpty()) {
      List<String> quoted = new ArrayList<>();
      for (String v : validValues) {
        quoted.add(GoFormat.quote(v));
      }
      detail = "supported values: " + String.join(", ", quoted);
    }
    return new FieldError(field, Reason.NOT_SUPPORTED, value, detail);
  }

  /**
   * The error without the field name ({@code ErrorBody} in Go), which Kubernetes puts into
   * {@code details.causes[].message}, e.g. {@code Invalid value: "Foo": a lowercase RFC 1123 ...}.
   */
  public String errorBody() {
    String s = switch (reason) {
      case REQUIRED, FORBIDDEN, TOO_LONG -> reason.title();
      default -> reason.title() + ": " + GoFormat.value(value);
    };
    return message.isEmpty() ? s : s + ": " + message;
  }

  /** The full Go {@code Error()} text: {@code metadata.name: Invalid value: "Foo": ...}. */
  public String errorString() {
    return field + ": " + errorBody();
  }

  /**
   * Joins errors the way {@code ErrorList.ToAggregate().Error()} does: duplicates dropped, a
   * single error alone, several as {@code [a, b]}; "" for none.
   */
  public static String aggregate(List<FieldError> errors) {
    Set<String> messages = new LinkedHashSet<>();
    for (FieldError e : errors) {
      messages.add(e.errorString());
    }
    if (messages.isEmpty()) {
      return "";
    }
    if (messages.size() == 1) {
      return messages.iterator().next();
    }
    return "[" + String.join(", ", messages) + "]";
  }

  /** Renders values as Go's fmt does in field errors, so messages match the real API server. */
  static final class GoFormat {
    private GoFormat() {}

    static String value(Object value) {
      if (value == null) {
        return "null";
      }
      if (value instanceof String s) {
        return quote(s);
      }
      if (value instanceof Number || value instanceof Boolean) {
        return value.toString();
      }
      if (value instanceof JsonNode node) {
        return node.isTextual() ? quote(node.textValue()) : node.toString();
      }
      if (value instanceof Collection<?> items) {
        List<String> quoted = new ArrayList<>();
        for (Object item : items) {
          quoted.add(quote(String.valueOf(item)));
        }
        return "[]string{" + String.join(", ", quoted) + "}";
      }
      return value.toString();
    }

    /** Go's {@code %q}: double quotes, backslash escapes, printable Unicode kept as is. */
    static String quote(String s) {
      StringBuilder b = new StringBuilder(s.length() + 2).append('"');
      s.codePoints().forEach(cp -> {
        switch (cp) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\t' -> b.append("\\t");
          case '\r' -> b.append("\\r");
          case 0x07 -> b.append("\\a");
          case '\b' -> b.append("\\b");
          case '\f' -> b.append("\\f");
          case 0x0b -> b.append("\\v");
          default -> {
            if (cp < 0x20 || cp == 0x7f) {
              b.append(String.format("\\x%02x", cp));
            } else if (cp >= 0x80 && cp < 0xa0) {
              b.append(String.format("\\u%04x", cp));
            } else {
              b.appendCodePoint(cp);
            }
          }
        }
      });
      return b.append('"').toString();
    }
  }
}
