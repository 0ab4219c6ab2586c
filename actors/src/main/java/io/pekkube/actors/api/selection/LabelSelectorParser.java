package io.pekkube.actors.api.selection;

import io.pekkube.actors.api.selection.LabelSelector.Operator;
import io.pekkube.actors.api.selection.LabelSelector.Requirement;
import io.pekkube.actors.api.validation.FieldError;
import io.pekkube.actors.api.validation.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The string form of a label selector, parsed token for token as apimachinery's
 * {@code labels/selector.go} does, so that odd inputs ({@code x in (a,,b)}, {@code in in (in)})
 * and error messages come out the same.
 */
final class LabelSelectorParser {

  private enum Token {
    ERROR, END_OF_STRING, CLOSED_PAR, COMMA, DOES_NOT_EXIST, DOUBLE_EQUALS, EQUALS, GREATER_THAN,
    IDENTIFIER, IN, LESS_THAN, NOT_EQUALS, NOT_IN, OPEN_PAR
  }

  private static final Map<String, Token> KEYWORDS = Map.ofEntries(
      Map.entry(")", Token.CLOSED_PAR),
      Map.entry(",", Token.COMMA),
      Map.entry("!", Token.DOES_NOT_EXIST),
      Map.entry("==", Token.DOUBLE_EQUALS),
      Map.entry("=", Token.EQUALS),
      Map.entry(">", Token.GREATER_THAN),
      Map.entry("in", Token.IN),
      Map.entry("<", Token.LESS_THAN),
      Map.entry("!=", Token.NOT_EQUALS),
      Map.entry("notin", Token.NOT_IN),
      Map.entry("(", Token.OPEN_PAR));

  private static final String BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt";

  private record Item(Token token, String literal) {}

  /** Whether 'in' and 'notin' are keywords here or plain identifiers (values, keys). */
  private enum Context { KEY_AND_OPERATOR, VALUES }

  private final String input;
  private int pos;
  private final List<Item> items = new ArrayList<>();
  private int position;

  LabelSelectorParser(String input) {
    this.input = input;
  }

  List<Requirement> parse() {
    scan();
    List<Requirement> requirements = new ArrayList<>();
    while (true) {
      Item next = lookahead(Context.VALUES);
      switch (next.token()) {
        case IDENTIFIER, DOES_NOT_EXIST -> {
          try {
            requirements.add(parseRequirement());
          } catch (SelectorParseException e) {
            throw new SelectorParseException("unable to parse requirement: " + e.getMessage());
          }
          Item after = consume(Context.VALUES);
          switch (after.token()) {
            case END_OF_STRING -> {
              return requirements;
            }
            case COMMA -> {
              Item t2 = lookahead(Context.VALUES);
              if (t2.token() != Token.IDENTIFIER && t2.token() != Token.DOES_NOT_EXIST) {
                throw error("found '" + t2.literal() + "', expected: identifier after ','");
              }
            }
            default -> throw error(
                "found '" + after.literal() + "', expected: ',' or 'end of string'");
          }
        }
        case END_OF_STRING -> {
          return requirements;
        }
        default -> throw error(
            "found '" + next.literal() + "', expected: !, identifier, or 'end of string'");
      }
    }
  }

  private Requirement parseRequirement() {
    Operator operator = null;
    Item item = consume(Context.VALUES);
    if (item.token() == Token.DOES_NOT_EXIST) {
      operator = Operator.DOES_NOT_EXIST;
      item = consume(Context.VALUES);
    }
    if (item.token() != Token.IDENTIFIER) {
      throw error("found '" + item.literal() + "', expected: identifier");
    }
    String key = item.literal();
    List<String> keyErrors = Names.isQualifiedName(key);
    if (!keyErrors.isEmpty()) {
      // Kubernetes validates the key here against a nil field path, hence "<nil>".
      throw error(FieldError.invalid("<nil>", key, String.join("; ", keyErrors)).errorString());
    }
    Token next = lookahead(Context.VALUES).token();
    if ((next == Token.END_OF_STRING || next == Token.COMMA)
        && operator != Operator.DOES_NOT_EXIST) {
      operator = Operator.EXISTS;
    }
    if (operator == Operator.EXISTS || operator == Operator.DOES_NOT_EXIST) {
      return Requirement.of(key, operator, List.of());
    }
    operator = parseOperator();
    SortedSet<String> values = switch (operator) {
      case IN, NOT_IN -> parseValues();
      default -> parseExactValue();
    };
    return Requirement.of(key, operator, values);
  }

  private Operator parseOperator() {
    Item item = consume(Context.KEY_AND_OPERATOR);
    return switch (item.token()) {
      case IN -> Operator.IN;
      case EQUALS -> Operator.EQUALS;
      case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
      case GREATER_THAN -> Operator.GREATER_THAN;
      case LESS_THAN -> Operator.LESS_THAN;
      case NOT_IN -> Operator.NOT_IN;
      case NOT_EQUALS -> Operator.NOT_EQUALS;
      default -> throw error("found '" + item.literal() + "', expected: " + BINARY_OPERATORS);
    };
  }

  private SortedSet<String> parseValues() {
    Item open = consume(Context.VALUES);
    if (open.token() != Token.OPEN_PAR) {
      throw error("found '" + open.literal() + "' expected: '('");
    }
    Item first = lookahead(Context.VALUES);
    switch (first.token()) {
      case IDENTIFIER, COMMA -> {
        SortedSet<String> values = parseIdentifiersList();
        if (consume(Context.VALUES).token() != Token.CLOSED_PAR) {
          // Kubernetes reports the literal after '(' here, not the offending one.
          throw error("found '" + first.literal() + "', expected: ')'");
        }
        return values;
      }
      case CLOSED_PAR -> {
        consume(Context.VALUES);
        return new TreeSet<>(List.of(""));
      }
      default -> throw error(
          "found '" + first.literal() + "', expected: ',', ')' or identifier");
    }
  }

  // A possibly empty list of possibly empty identifiers: "(a,,b)" and "(,)" hold "".
  private SortedSet<String> parseIdentifiersList() {
    SortedSet<String> values = new TreeSet<>();
    while (true) {
      Item item = consume(Context.VALUES);
      switch (item.token()) {
        case IDENTIFIER -> {
          values.add(item.literal());
          Item next = lookahead(Context.VALUES);
          switch (next.token()) {
            case COMMA -> {
              continue;
            }
            case CLOSED_PAR -> {
              return values;
            }
            default -> throw error("found '" + next.literal() + "', expected: ',' or ')'");
          }
        }
        case COMMA -> {
          if (values.isEmpty()) {
            values.add("");
          }
          Token next = lookahead(Context.VALUES).token();
          if (next == Token.CLOSED_PAR) {
            values.add("");
            return values;
          }
          if (next == Token.COMMA) {
            consume(Context.VALUES);
            values.add("");
          }
        }
        default -> throw error("found '" + item.literal() + "', expected: ',', or identifier");
      }
    }
  }

  private SortedSet<String> parseExactValue() {
    SortedSet<String> values = new TreeSet<>();
    Token next = lookahead(Context.VALUES).token();
    if (next == Token.END_OF_STRING || next == Token.COMMA) {
      values.add("");
      return values;
    }
    Item item = consume(Context.VALUES);
    if (item.token() == Token.IDENTIFIER) {
      values.add(item.literal());
      return values;
    }
    throw error("found '" + item.literal() + "', expected: identifier");
  }

  private Item lookahead(Context context) {
    return inContext(items.get(position), context);
  }

  private Item consume(Context context) {
    return inContext(items.get(position++), context);
  }

  private static Item inContext(Item item, Context context) {
    if (context == Context.VALUES
        && (item.token() == Token.IN || item.token() == Token.NOT_IN)) {
      return new Item(Token.IDENTIFIER, item.literal());
    }
    return item;
  }

  private static SelectorParseException error(String message) {
    return new SelectorParseException(message);
  }

  // ---- lexer ----

  private void scan() {
    while (true) {
      Item item = lex();
      items.add(item);
      if (item.token() == Token.END_OF_STRING) {
        return;
      }
    }
  }

  private Item lex() {
    char ch = read();
    while (isWhitespace(ch)) {
      ch = read();
    }
    if (ch == 0) {
      return new Item(Token.END_OF_STRING, "");
    }
    unread();
    return isSpecialSymbol(ch) ? scanSpecialSymbol() : scanIdOrKeyword();
  }

  private Item scanIdOrKeyword() {
    StringBuilder buffer = new StringBuilder();
    while (true) {
      char ch = read();
      if (ch == 0) {
        break;
      }
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        unread();
        break;
      }
      buffer.append(ch);
    }
    String s = buffer.toString();
    Token keyword = KEYWORDS.get(s);
    return new Item(keyword != null ? keyword : Token.IDENTIFIER, s);
  }

  // Longest operator made of special symbols: "!=" rather than "!" then "=".
  private Item scanSpecialSymbol() {
    Item last = null;
    StringBuilder buffer = new StringBuilder();
    while (true) {
      char ch = read();
      if (ch == 0) {
        break;
      }
      if (!isSpecialSymbol(ch)) {
        unread();
        break;
      }
      buffer.append(ch);
      Token token = KEYWORDS.get(buffer.toString());
      if (token != null) {
        last = new Item(token, buffer.toString());
      } else if (last != null) {
        unread();
        break;
      }
    }
    if (last == null) {
      return new Item(Token.ERROR, "error expected: keyword found '" + buffer + "'");
    }
    return last;
  }

  private char read() {
    if (pos < input.length()) {
      return input.charAt(pos++);
    }
    return 0;
  }

  private void unread() {
    pos--;
  }

  private static boolean isWhitespace(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
  }

  private static boolean isSpecialSymbol(char ch) {
    return switch (ch) {
      case '=', '!', '(', ')', ',', '>', '<' -> true;
      default -> false;
    };
  }
}
