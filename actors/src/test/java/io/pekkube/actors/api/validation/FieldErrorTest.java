package io.pekkube.actors.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pekkube.actors.api.validation.FieldError.Reason;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FieldErrorTest {

  static Stream<Arguments> bodies() {
    return Stream.of(
        Arguments.of(FieldError.invalid("f", "x", "bad"), "Invalid value: \"x\": bad"),
        Arguments.of(FieldError.invalid("f", 3L, "bad"), "Invalid value: 3: bad"),
        Arguments.of(FieldError.invalid("f", true, ""), "Invalid value: true"),
        Arguments.of(FieldError.invalid("f", null, "bad"), "Invalid value: null: bad"),
        Arguments.of(FieldError.invalid("f", List.of(), "bad"), "Invalid value: []string{}: bad"),
        Arguments.of(FieldError.invalid("f", JsonNodeFactory.instance.arrayNode().add(1), "bad"),
            "Invalid value: [1]: bad"),
        Arguments.of(FieldError.required("f", ""), "Required value"),
        Arguments.of(FieldError.required("f", "why"), "Required value: why"),
        Arguments.of(FieldError.forbidden("f", "no"), "Forbidden: no"),
        Arguments.of(FieldError.tooLong("f", "long", 10), "Too long: must have at most 10 bytes"),
        Arguments.of(FieldError.duplicate("f", "a"), "Duplicate value: \"a\""),
        Arguments.of(FieldError.notSupported("f", "Foo", List.of("A", "B")),
            "Unsupported value: \"Foo\": supported values: \"A\", \"B\""));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("bodies")
  void errorBodyIsWordedLikeGo(FieldError error, String body) {
    assertEquals(body, error.errorBody());
    assertEquals("f: " + body, error.errorString());
  }

  @Test
  void causeTypesAreTheKubernetesStrings() {
    assertEquals(List.of("FieldValueInvalid", "FieldValueRequired", "FieldValueTooLong",
            "FieldValueNotSupported", "FieldValueForbidden", "FieldValueDuplicate"),
        Stream.of(Reason.values()).map(Reason::causeType).toList());
  }

  @Test
  void stringValuesAreQuotedWithGoEscapes() {
    assertEquals("Invalid value: \"a\\\"b\\\\c\\n\\x01é\"",
        FieldError.invalid("f", "a\"b\\c\n\u0001é", "").errorBody());
  }

  @Test
  void aggregateDropsDuplicatesAndBracketsSeveral() {
    FieldError a = FieldError.invalid("f", "x", "bad");
    FieldError b = FieldError.required("g", "");
    assertEquals("", FieldError.aggregate(List.of()));
    assertEquals("f: Invalid value: \"x\": bad", FieldError.aggregate(List.of(a, a)));
    assertEquals("[f: Invalid value: \"x\": bad, g: Required value]",
        FieldError.aggregate(List.of(a, b, a)));
  }

  @Test
  void nullMessageBecomesEmpty() {
    assertEquals("", new FieldError("f", Reason.INVALID, "v", null).message());
  }
}
