package io.pekkube.actors.api.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pekkube.actors.api.selection.LabelSelector.Operator;
import io.pekkube.actors.api.selection.LabelSelector.Requirement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class LabelSelectorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String QUALIFIED_NAME_PART_MSG =
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end"
          + " with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex"
          + " used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  private static final String LABEL_VALUE_MSG =
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or"
          + " '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or"
          + " 'my_value',  or '12345', regex used for validation is"
          + " '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

  static JsonNode json(String singleQuoted) {
    try {
      return JSON.readTree(singleQuoted.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Map<String, String> labels(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  // input | canonical string form (requirements sorted by key, set values sorted)
  @ParameterizedTest(name = "[{index}] \"{0}\" -> \"{1}\"")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "\"\"                    | \"\"",
      "a                       | a",
      "!a                      | !a",
      "a=b                     | a=b",
      "a==b                    | a==b",
      "a!=b                    | a!=b",
      "\"  a = b ,\tc != d  \" | a=b,c!=d",
      "b=1,a=2                 | a=2,b=1",
      "x in (c,b,a)            | x in (a,b,c)",
      "x notin (a)             | x notin (a)",
      "x in (a,,b)             | x in (,a,b)",
      "x in (a,b,)             | x in (,a,b)",
      "x in ()                 | x in ()",
      "x in (,)                | x in ()",
      "x=                      | x=",
      "\"x=,y\"                | x=,y",
      "in in (in)              | in in (in)",
      "notin notin (notin,in)  | notin notin (in,notin)",
      "example.com/app=web     | example.com/app=web",
      "a>1                     | a>1",
      "a<5                     | a<5",
      "x in (a,a)              | x in (a)",
  })
  void parsesAndRendersLikeKubernetes(String input, String canonical) {
    assertEquals(canonical, LabelSelector.parse(input).toString());
  }

  // input | exact Kubernetes error message
  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "a b          | unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt",
      "x in         | unable to parse requirement: found '' expected: '('",
      "x in a       | unable to parse requirement: found 'a' expected: '('",
      "x in (a      | unable to parse requirement: found '', expected: ',' or ')'",
      "x in (a b)   | unable to parse requirement: found 'b', expected: ',' or ')'",
      "x in (=)     | unable to parse requirement: found '=', expected: ',', ')' or identifier",
      "\",a\"       | found ',', expected: !, identifier, or 'end of string'",
      "\"a,\"       | found '', expected: identifier after ','",
      "\"a,,b\"     | found ',', expected: identifier after ','",
      "a=b c        | found 'c', expected: ',' or 'end of string'",
      "!a=b         | found '=', expected: ',' or 'end of string'",
      "a=(b)        | unable to parse requirement: found '(', expected: identifier",
      "!            | unable to parse requirement: found '', expected: identifier",
      "=a           | found '=', expected: !, identifier, or 'end of string'",
      "a>x          | unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer",
  })
  void rejectsMalformedSelectorsWithKubernetesMessages(String input, String message) {
    SelectorParseException e =
        assertThrows(SelectorParseException.class, () -> LabelSelector.parse(input));
    assertEquals(message, e.getMessage());
  }

  @Test
  void invalidKeyIsReportedAgainstANilPathAsKubernetesDoes() {
    SelectorParseException e =
        assertThrows(SelectorParseException.class, () -> LabelSelector.parse("-a=b"));
    assertEquals("unable to parse requirement: <nil>: Invalid value: \"-a\": "
        + QUALIFIED_NAME_PART_MSG, e.getMessage());
  }

  @Test
  void invalidValueIsReportedWithItsIndexAndKey() {
    SelectorParseException e =
        assertThrows(SelectorParseException.class, () -> LabelSelector.parse("a in (ok,-b)"));
    assertEquals("unable to parse requirement: values[0][a]: Invalid value: \"-b\": "
        + LABEL_VALUE_MSG, e.getMessage());
  }

  @Test
  void severalInvalidValuesAreAggregatedInBrackets() {
    SelectorParseException e =
        assertThrows(SelectorParseException.class, () -> LabelSelector.parse("a in (-x,-y)"));
    assertEquals("unable to parse requirement: [values[0][a]: Invalid value: \"-x\": "
        + LABEL_VALUE_MSG + ", values[1][a]: Invalid value: \"-y\": " + LABEL_VALUE_MSG + "]",
        e.getMessage());
  }

  @Test
  void parseExceptionIsAnIllegalArgumentException() {
    assertTrue(IllegalArgumentException.class.isAssignableFrom(SelectorParseException.class));
  }

  static Stream<Arguments> matchingCases() {
    return Stream.of(
        Arguments.of("", labels(), true),
        Arguments.of("a=b", labels("a", "b"), true),
        Arguments.of("a=b", labels("a", "c"), false),
        Arguments.of("a=b", labels(), false),
        Arguments.of("a==b", labels("a", "b"), true),
        Arguments.of("a!=b", labels(), true),
        Arguments.of("a!=b", labels("a", "b"), false),
        Arguments.of("a!=b", labels("a", "c"), true),
        Arguments.of("a in (x,y)", labels("a", "y"), true),
        Arguments.of("a in (x,y)", labels("a", "z"), false),
        Arguments.of("a in (x,y)", labels(), false),
        Arguments.of("a notin (x)", labels(), true),
        Arguments.of("a notin (x)", labels("a", "x"), false),
        Arguments.of("a notin (x)", labels("a", "y"), true),
        Arguments.of("a", labels("a", ""), true),
        Arguments.of("a", labels(), false),
        Arguments.of("!a", labels(), true),
        Arguments.of("!a", labels("a", "b"), false),
        Arguments.of("a=b,c", labels("a", "b", "c", "x"), true),
        Arguments.of("a=b,c", labels("a", "b"), false),
        Arguments.of("a=", labels("a", ""), true),
        Arguments.of("a=", labels(), false),
        Arguments.of("x in (a,,b)", labels("x", ""), true),
        Arguments.of("a>5", labels("a", "6"), true),
        Arguments.of("a>5", labels("a", "5"), false),
        Arguments.of("a>5", labels("a", "x"), false),
        Arguments.of("a>5", labels(), false),
        Arguments.of("a<5", labels("a", "-1"), true),
        Arguments.of("a<5", labels("a", "5"), false));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\" on {1} -> {2}")
  @MethodSource("matchingCases")
  void matchesLabelSetsAsKubernetesDoes(String selector, Map<String, String> labels,
      boolean expected) {
    assertEquals(expected, LabelSelector.parse(selector).matches(labels));
  }

  @Test
  void matchesTheLabelsOfAFullObject() {
    JsonNode pod = json("{'kind':'Pod','metadata':{'name':'p','labels':{'app':'web','tier':'fe'}}}");
    assertTrue(LabelSelector.parse("app=web,tier in (fe,be)").matches(pod));
    assertFalse(LabelSelector.parse("app=db").matches(pod));
  }

  @Test
  void objectWithoutLabelsIsMatchedOnlyByNegativeRequirements() {
    JsonNode bare = json("{'metadata':{'name':'p'}}");
    assertTrue(LabelSelector.parse("!app,app!=web").matches(bare));
    assertFalse(LabelSelector.parse("app").matches(bare));
    assertTrue(LabelSelector.everything().matches(bare));
  }

  @Test
  void everythingIsEmptyAndMatchesAll() {
    assertTrue(LabelSelector.everything().isEmpty());
    assertTrue(LabelSelector.parse("").isEmpty());
    assertTrue(LabelSelector.parse("   ").isEmpty());
    assertFalse(LabelSelector.parse("a").isEmpty());
    assertEquals("", LabelSelector.everything().toString());
  }

  @Test
  void nothingMatchesNoObjectAndIsNotEmpty() {
    assertFalse(LabelSelector.nothing().matches(labels()));
    assertFalse(LabelSelector.nothing().matches(json("{'metadata':{'labels':{'a':'b'}}}")));
    assertFalse(LabelSelector.nothing().isEmpty());
    assertFalse(LabelSelector.nothing().isSelectable());
  }

  @Test
  void requiresExactMatchReportsTheOnlyAcceptableValue() {
    LabelSelector s = LabelSelector.parse("a=x,b in (y),c in (y,z),d!=w");
    assertEquals(Optional.of("x"), s.requiresExactMatch("a"));
    assertEquals(Optional.of("y"), s.requiresExactMatch("b"));
    assertEquals(Optional.empty(), s.requiresExactMatch("c"));
    assertEquals(Optional.empty(), s.requiresExactMatch("d"));
    assertEquals(Optional.empty(), s.requiresExactMatch("e"));
  }

  // ---- structured form ----

  @Test
  void nullOrAbsentStructuredSelectorSelectsNothing() {
    assertEquals(LabelSelector.nothing(), LabelSelector.fromJson(null));
    assertEquals(LabelSelector.nothing(), LabelSelector.fromJson(json("null")));
    assertEquals(LabelSelector.nothing(), LabelSelector.fromJson(json("{}").path("selector")));
  }

  @Test
  void emptyStructuredSelectorSelectsEverything() {
    assertTrue(LabelSelector.fromJson(json("{}")).isEmpty());
    assertTrue(LabelSelector.fromJson(json("{'matchLabels':{},'matchExpressions':[]}")).isEmpty());
    assertTrue(LabelSelector.fromJson(json("{}")).matches(labels()));
  }

  @Test
  void structuredSelectorCombinesMatchLabelsAndExpressions() {
    LabelSelector s = LabelSelector.fromJson(json("{'matchLabels':{'app':'web'},"
        + "'matchExpressions':[{'key':'tier','operator':'In','values':['fe','be']},"
        + "{'key':'legacy','operator':'DoesNotExist'},"
        + "{'key':'env','operator':'NotIn','values':['dev']},"
        + "{'key':'team','operator':'Exists','values':[]}]}"));
    assertEquals("app=web,env notin (dev),!legacy,team,tier in (be,fe)", s.toString());
    assertTrue(s.matches(labels("app", "web", "tier", "be", "team", "x")));
    assertFalse(s.matches(labels("app", "web", "tier", "be", "team", "x", "legacy", "1")));
    assertFalse(s.matches(labels("app", "web", "tier", "be", "team", "x", "env", "dev")));
    assertFalse(s.matches(labels("app", "web", "tier", "be")));
  }

  static Stream<Arguments> structuredErrors() {
    return Stream.of(
        Arguments.of("{'matchExpressions':[{'key':'a','operator':'Gt','values':['1']}]}",
            "\"Gt\" is not a valid label selector operator"),
        Arguments.of("{'matchExpressions':[{'key':'a','operator':'in','values':['1']}]}",
            "\"in\" is not a valid label selector operator"),
        Arguments.of("{'matchExpressions':[{'key':'a','operator':'In','values':[]}]}",
            "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't"
                + " be empty"),
        Arguments.of("{'matchExpressions':[{'key':'a','operator':'NotIn'}]}",
            "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't"
                + " be empty"),
        Arguments.of("{'matchExpressions':[{'key':'a','operator':'Exists','values':['x']}]}",
            "values: Invalid value: []string{\"x\"}: values set must be empty for exists and"
                + " does not exist"),
        Arguments.of("{'matchLabels':{'app':'-web'}}",
            "values[0][app]: Invalid value: \"-web\": " + LABEL_VALUE_MSG),
        Arguments.of("{'matchLabels':{'a/b/c':'x'}}",
            "key: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric"
                + " characters, '-', '_' or '.', and must start and end with an alphanumeric"
                + " character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for"
                + " validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional"
                + " DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"),
        Arguments.of("{'matchExpressions':[{'key':'-k','operator':'In','values':[]}]}",
            "[key: Invalid value: \"-k\": " + QUALIFIED_NAME_PART_MSG
                + ", values: Invalid value: []string{}: for 'in', 'notin' operators, values set"
                + " can't be empty]"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("structuredErrors")
  void structuredSelectorErrorsUseKubernetesMessages(String selector, String message) {
    SelectorParseException e = assertThrows(SelectorParseException.class,
        () -> LabelSelector.fromJson(json(selector)));
    assertEquals(message, e.getMessage());
  }

  @Test
  void structuredSelectorOfWrongShapeIsRejectedNotCrashed() {
    assertThrows(SelectorParseException.class, () -> LabelSelector.fromJson(json("[]")));
    assertThrows(SelectorParseException.class,
        () -> LabelSelector.fromJson(json("{'matchLabels':['a']}")));
    assertThrows(SelectorParseException.class,
        () -> LabelSelector.fromJson(json("{'matchLabels':{'a':1}}")));
    assertThrows(SelectorParseException.class,
        () -> LabelSelector.fromJson(json("{'matchExpressions':{}}")));
  }

  @Test
  void requirementFactoryValidatesValueCountForExactMatch() {
    SelectorParseException e = assertThrows(SelectorParseException.class,
        () -> Requirement.of("a", Operator.EQUALS, List.of("x", "y")));
    assertEquals("values: Invalid value: []string{\"x\", \"y\"}: exact-match compatibility"
        + " requires one single value", e.getMessage());
  }

  @Test
  void parsedAndStructuredFormsOfTheSameSelectorAreEqual() {
    assertEquals(LabelSelector.parse("app=web,tier in (fe)"),
        LabelSelector.fromJson(json("{'matchLabels':{'app':'web'},"
            + "'matchExpressions':[{'key':'tier','operator':'In','values':['fe']}]}")));
  }
}
