package io.pekkube.actors.api.selection;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Kubernetes field selector ({@code ?fieldSelector=spec.nodeName=n1,status.phase!=Failed}): an
 * AND of equality terms on fields a {@link FieldSet} knows how to read. Parsing follows
 * apimachinery's {@code fields/selector.go}, including backslash escapes of {@code \,},
 * {@code \=} and {@code \\} in values; whitespace is significant, as in Kubernetes. Immutable.
 */
public final class FieldSelector {

  /** A term's operator; {@code ==} parses to {@link #EQUALS}. */
  public enum Operator {
    EQUALS("="),
    NOT_EQUALS("!=");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  /** One {@code field op value} term; {@code value} is unescaped. */
  public record Term(String field, Operator operator, String value) {

    public boolean matches(String actual) {
      return operator == Operator.EQUALS ? actual.equals(value) : !actual.equals(value);
    }

    @Override
    public String toString() {
      return field + operator.symbol() + escapeValue(value);
    }
  }

  private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  private final List<Term> terms;

  private FieldSelector(List<Term> terms) {
    this.terms = terms;
  }

  public static FieldSelector everything() {
    return EVERYTHING;
  }

  public static FieldSelector of(List<Term> terms) {
    return terms.isEmpty() ? EVERYTHING : new FieldSelector(List.copyOf(terms));
  }

  /**
   * Parses the string form; "" selects everything. Which fields exist is checked later, against
   * a {@link FieldSet} ({@link #convert} or {@link #matches}).
   *
   * @throws SelectorParseException e.g. {@code invalid selector: 'a'; can't understand 'a'}
   */
  public static FieldSelector parse(String selector) {
    List<String> parts = splitTerms(selector);
    parts.sort(null);
    List<Term> terms = new ArrayList<>();
    for (String part : parts) {
      if (part.isEmpty()) {
        continue;
      }
      Term raw = splitTerm(part);
      if (raw == null) {
        throw new SelectorParseException(
            "invalid selector: '" + selector + "'; can't understand '" + part + "'");
      }
      terms.add(new Term(raw.field(), raw.operator(), unescapeValue(raw.value())));
    }
    return of(terms);
  }

  /**
   * This selector with each field checked against {@code fields} and replaced by its canonical
   * name, as the API server converts field labels before listing.
   *
   * @throws SelectorParseException naming the first unsupported field, in Kubernetes' words
   */
  public FieldSelector convert(FieldSet fields) {
    List<Term> converted = new ArrayList<>(terms.size());
    for (Term t : terms) {
      converted.add(new Term(fields.resolve(t.field()), t.operator(), t.value()));
    }
    return of(converted);
  }

  /**
   * Whether {@code object} satisfies every term, reading fields through {@code fields}.
   *
   * @throws SelectorParseException when a term names a field the kind does not support
   */
  public boolean matches(JsonNode object, FieldSet fields) {
    for (Term t : terms) {
      if (!t.matches(fields.read(object, t.field()))) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return terms.isEmpty();
  }

  public List<Term> terms() {
    return terms;
  }

  /** The value {@code field} must equal for anything to match, e.g. to use a node-name index. */
  public Optional<String> requiresExactMatch(String field) {
    for (Term t : terms) {
      if (t.field().equals(field) && t.operator() == Operator.EQUALS) {
        return Optional.of(t.value());
      }
    }
    return Optional.empty();
  }

  /** The canonical string form, values escaped; "" for everything. */
  @Override
  public String toString() {
    return String.join(",", terms.stream().map(Term::toString).toList());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSelector other && terms.equals(other.terms);
  }

  @Override
  public int hashCode() {
    return terms.hashCode();
  }

  /** Escapes {@code \}, {@code ,} and {@code =} so the value survives {@link #parse}. */
  public static String escapeValue(String value) {
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
  }

  // Splits at commas not preceded by a backslash; escapes stay in the terms.
  private static List<String> splitTerms(String selector) {
    List<String> terms = new ArrayList<>();
    if (selector.isEmpty()) {
      return terms;
    }
    int start = 0;
    boolean inSlash = false;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (inSlash) {
        inSlash = false;
      } else if (c == '\\') {
        inSlash = true;
      } else if (c == ',') {
        terms.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(selector.substring(start));
    return terms;
  }

  // The first operator wins; "!=" and "==" are tried before "=" at each position.
  private static Term splitTerm(String term) {
    for (int i = 0; i < term.length(); i++) {
      if (term.startsWith("!=", i)) {
        return new Term(term.substring(0, i), Operator.NOT_EQUALS, term.substring(i + 2));
      }
      if (term.startsWith("==", i)) {
        return new Term(term.substring(0, i), Operator.EQUALS, term.substring(i + 2));
      }
      if (term.startsWith("=", i)) {
        return new Term(term.substring(0, i), Operator.EQUALS, term.substring(i + 1));
      }
    }
    return null;
  }

  private static String unescapeValue(String s) {
    if (s.indexOf('\\') < 0 && s.indexOf(',') < 0 && s.indexOf('=') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    boolean inSlash = false;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (inSlash) {
        if (c == '\\' || c == ',' || c == '=') {
          b.appendCodePoint(c);
        } else {
          throw new SelectorParseException("invalid field selector: invalid escape sequence: \\"
              + new String(Character.toChars(c)));
        }
        inSlash = false;
        continue;
      }
      switch (c) {
        case '\\' -> inSlash = true;
        // Go prints the rune with %v, i.e. as its code point number.
        case ',', '=' -> throw new SelectorParseException(
            "invalid field selector: unescapedRune character in value: " + c);
        default -> b.appendCodePoint(c);
      }
    }
    if (inSlash) {
      throw new SelectorParseException("invalid field selector: invalid escape sequence: \\");
    }
    return b.toString();
  }
}
