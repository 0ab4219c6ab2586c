package io.pekkube.actors.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkube.actors.api.ResourceType.NameRule;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  static final String SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case"
      + " alphanumeric characters, '-' or '.', and must start and end with an alphanumeric"
      + " character (e.g. 'example.com', regex used for validation is"
      + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  static final String LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case"
      + " alphanumeric characters or '-', and must start and end with an alphanumeric character"
      + " (e.g. 'my-name',  or '123-abc', regex used for validation is"
      + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  static final String DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric"
      + " characters or '-', start with an alphabetic character, and end with an alphanumeric"
      + " character (e.g. 'my-name',  or 'abc-123', regex used for validation is"
      + " '[a-z]([-a-z0-9]*[a-z0-9])?')";
  static final String NAME_PART_MSG = "name part must consist of alphanumeric characters, '-',"
      + " '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or"
      + " 'my.name',  or '123-abc', regex used for validation is"
      + " '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  static final String LABEL_VALUE_MSG = "a valid label must be an empty string or consist of"
      + " alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric"
      + " character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is"
      + " '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

  static Stream<Arguments> subdomains() {
    return Stream.of(
        Arguments.of("example.com", List.of()),
        Arguments.of("a", List.of()),
        Arguments.of("0-9.a-b", List.of()),
        Arguments.of("a".repeat(253), List.of()),
        Arguments.of("a".repeat(254), List.of("must be no more than 253 characters")),
        Arguments.of("A".repeat(254),
            List.of("must be no more than 253 characters", SUBDOMAIN_MSG)),
        Arguments.of("Foo", List.of(SUBDOMAIN_MSG)),
        Arguments.of("", List.of(SUBDOMAIN_MSG)),
        Arguments.of("a..b", List.of(SUBDOMAIN_MSG)),
        Arguments.of("-a", List.of(SUBDOMAIN_MSG)),
        Arguments.of("a_b", List.of(SUBDOMAIN_MSG)),
        Arguments.of("a.", List.of(SUBDOMAIN_MSG)));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("subdomains")
  void dns1123Subdomain(String value, List<String> expected) {
    assertEquals(expected, Names.isDns1123Subdomain(value));
  }

  static Stream<Arguments> labels() {
    return Stream.of(
        Arguments.of("my-name", List.of()),
        Arguments.of("123-abc", List.of()),
        Arguments.of("a".repeat(63), List.of()),
        Arguments.of("a".repeat(64), List.of("must be no more than 63 characters")),
        Arguments.of("a.b", List.of("must not contain dots")),
        Arguments.of("-a", List.of(LABEL_MSG)),
        Arguments.of("My", List.of(LABEL_MSG)),
        Arguments.of("", List.of(LABEL_MSG)));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("labels")
  void dns1123Label(String value, List<String> expected) {
    assertEquals(expected, Names.isDns1123Label(value));
  }

  static Stream<Arguments> dns1035Labels() {
    return Stream.of(
        Arguments.of("my-name", List.of()),
        Arguments.of("abc-123", List.of()),
        Arguments.of("1abc", List.of(DNS1035_MSG)),
        Arguments.of("a.b", List.of(DNS1035_MSG)),
        Arguments.of("a".repeat(64), List.of("must be no more than 63 characters")));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("dns1035Labels")
  void dns1035Label(String value, List<String> expected) {
    assertEquals(expected, Names.isDns1035Label(value));
  }

  static Stream<Arguments> pathSegments() {
    return Stream.of(
        Arguments.of("system:node:n1", List.of()),
        Arguments.of("", List.of()),
        Arguments.of("...", List.of()),
        Arguments.of(".", List.of("may not be '.'")),
        Arguments.of("..", List.of("may not be '..'")),
        Arguments.of("a/b", List.of("may not contain '/'")),
        Arguments.of("a/b%c", List.of("may not contain '/'", "may not contain '%'")));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("pathSegments")
  void pathSegmentName(String value, List<String> expected) {
    assertEquals(expected, Names.isValidPathSegmentName(value));
  }

  static Stream<Arguments> qualifiedNames() {
    return Stream.of(
        Arguments.of("app", List.of()),
        Arguments.of("MyName", List.of()),
        Arguments.of("my_name.v1", List.of()),
        Arguments.of("example.com/MyName", List.of()),
        Arguments.of("kubernetes.io/pv-protection", List.of()),
        Arguments.of("a".repeat(63), List.of()),
        Arguments.of("a".repeat(64), List.of("name part must be no more than 63 characters")),
        Arguments.of("/a", List.of("prefix part must be non-empty")),
        Arguments.of("a/", List.of("name part must be non-empty", NAME_PART_MSG)),
        Arguments.of("", List.of("name part must be non-empty", NAME_PART_MSG)),
        Arguments.of("-a", List.of(NAME_PART_MSG)),
        Arguments.of("Example.com/a", List.of("prefix part " + SUBDOMAIN_MSG)),
        Arguments.of("a/b/c", List.of("a qualified name must consist of alphanumeric"
            + " characters, '-', '_' or '.', and must start and end with an alphanumeric"
            + " character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for"
            + " validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS"
            + " subdomain prefix and '/' (e.g. 'example.com/MyName')")));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("qualifiedNames")
  void qualifiedName(String value, List<String> expected) {
    assertEquals(expected, Names.isQualifiedName(value));
  }

  static Stream<Arguments> labelValues() {
    return Stream.of(
        Arguments.of("", List.of()),
        Arguments.of("MyValue", List.of()),
        Arguments.of("my_value-1.2", List.of()),
        Arguments.of("-a", List.of(LABEL_VALUE_MSG)),
        Arguments.of("a b", List.of(LABEL_VALUE_MSG)),
        Arguments.of("a/b", List.of(LABEL_VALUE_MSG)),
        Arguments.of("a".repeat(64), List.of("must be no more than 63 characters")));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("labelValues")
  void labelValue(String value, List<String> expected) {
    assertEquals(expected, Names.isValidLabelValue(value));
  }

  @Test
  void lengthIsCountedInUtf8BytesLikeGo() {
    // 32 two-byte characters: 32 Java chars, 64 bytes.
    assertEquals(List.of("must be no more than 63 characters", LABEL_VALUE_MSG),
        Names.isValidLabelValue("é".repeat(32)));
  }

  // name | rule | prefix | valid
  static Stream<Arguments> ruleCases() {
    return Stream.of(
        Arguments.of("web-", NameRule.DNS1123_SUBDOMAIN, true, true),
        Arguments.of("web-", NameRule.DNS1123_SUBDOMAIN, false, false),
        Arguments.of("web-", NameRule.DNS1123_LABEL, true, true),
        Arguments.of("svc-", NameRule.DNS1035_LABEL, true, true),
        Arguments.of("1svc-", NameRule.DNS1035_LABEL, true, false),
        Arguments.of("-", NameRule.DNS1123_SUBDOMAIN, true, false),
        Arguments.of("..", NameRule.PATH_SEGMENT, true, true),
        Arguments.of("..", NameRule.PATH_SEGMENT, false, false),
        Arguments.of("a/", NameRule.PATH_SEGMENT, true, false),
        Arguments.of("system:masters", NameRule.PATH_SEGMENT, false, true),
        Arguments.of("a.b", NameRule.DNS1123_LABEL, false, false),
        Arguments.of("a.b", NameRule.DNS1123_SUBDOMAIN, false, true));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\" {1} prefix={2} -> {3}")
  @MethodSource("ruleCases")
  void nameRulesMatchKubernetesNameFuncs(String name, NameRule rule, boolean prefix,
      boolean valid) {
    assertEquals(valid, Names.validate(name, rule, prefix).isEmpty(),
        () -> String.valueOf(Names.validate(name, rule, prefix)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "ab", "abc"})
  void regexErrorWithoutExamplesOmitsTheExampleList(String regex) {
    assertEquals("msg (regex used for validation is '" + regex + "')",
        Names.regexError("msg", regex));
  }
}
