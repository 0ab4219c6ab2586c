package io.pekkube.actors.api.validation;

import static io.pekkube.actors.api.validation.NamesTest.DNS1035_MSG;
import static io.pekkube.actors.api.validation.NamesTest.LABEL_VALUE_MSG;
import static io.pekkube.actors.api.validation.NamesTest.NAME_PART_MSG;
import static io.pekkube.actors.api.validation.NamesTest.SUBDOMAIN_MSG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkube.actors.api.ResourceType.NameRule;
import io.pekkube.actors.api.validation.FieldError.Reason;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ObjectMetaValidationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode json(String singleQuoted) {
    try {
      return JSON.readTree(singleQuoted.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  // ---- names ----

  @Test
  void invalidNameIsReportedInKubernetesWords() {
    List<FieldError> errs =
        ObjectMetaValidation.validateName("Foo", NameRule.DNS1123_SUBDOMAIN, "metadata.name");
    assertEquals(List.of(FieldError.invalid("metadata.name", "Foo", SUBDOMAIN_MSG)), errs);
    assertEquals("metadata.name: Invalid value: \"Foo\": " + SUBDOMAIN_MSG,
        errs.get(0).errorString());
    assertEquals("FieldValueInvalid", errs.get(0).reason().causeType());
  }

  @Test
  void emptyNameIsRequired() {
    List<FieldError> errs =
        ObjectMetaValidation.validateName("", NameRule.DNS1123_LABEL, "metadata.name");
    assertEquals(1, errs.size());
    assertEquals(Reason.REQUIRED, errs.get(0).reason());
    assertEquals("metadata.name: Required value: name or generateName is required",
        errs.get(0).errorString());
  }

  static Stream<Arguments> names() {
    return Stream.of(
        Arguments.of("my-svc", NameRule.DNS1035_LABEL, List.of()),
        Arguments.of("1-svc", NameRule.DNS1035_LABEL, List.of(DNS1035_MSG)),
        Arguments.of("kube-system", NameRule.DNS1123_LABEL, List.of()),
        Arguments.of("a.b", NameRule.DNS1123_LABEL, List.of("must not contain dots")),
        Arguments.of("a.b", NameRule.DNS1123_SUBDOMAIN, List.of()),
        Arguments.of("system:controller:x", NameRule.PATH_SEGMENT, List.of()),
        Arguments.of("a/b%", NameRule.PATH_SEGMENT,
            List.of("may not contain '/'", "may not contain '%'")),
        Arguments.of("x".repeat(254), NameRule.DNS1123_SUBDOMAIN,
            List.of("must be no more than 253 characters")));
  }

  @ParameterizedTest(name = "[{index}] {1} \"{0}\"")
  @MethodSource("names")
  void namesFollowTheTypesRule(String name, NameRule rule, List<String> messages) {
    List<FieldError> errs = ObjectMetaValidation.validateName(name, rule, "metadata.name");
    assertEquals(messages, errs.stream().map(FieldError::message).toList());
    errs.forEach(e -> {
      assertEquals("metadata.name", e.field());
      assertEquals(Reason.INVALID, e.reason());
      assertEquals(name, e.value());
    });
  }

  static Stream<Arguments> generateNames() {
    return Stream.of(
        Arguments.of("", NameRule.DNS1123_SUBDOMAIN, List.of()),
        Arguments.of(null, NameRule.DNS1123_SUBDOMAIN, List.of()),
        Arguments.of("web-", NameRule.DNS1123_SUBDOMAIN, List.of()),
        Arguments.of("web-", NameRule.DNS1035_LABEL, List.of()),
        Arguments.of("web", NameRule.DNS1123_LABEL, List.of()),
        Arguments.of("Web-", NameRule.DNS1123_SUBDOMAIN, List.of(SUBDOMAIN_MSG)),
        Arguments.of("..", NameRule.PATH_SEGMENT, List.of()),
        Arguments.of("a/", NameRule.PATH_SEGMENT, List.of("may not contain '/'")));
  }

  @ParameterizedTest(name = "[{index}] {1} \"{0}\"")
  @MethodSource("generateNames")
  void generateNameIsCheckedAsAPrefix(String generateName, NameRule rule,
      List<String> messages) {
    List<FieldError> errs = ObjectMetaValidation.validateGenerateName(generateName, rule,
        "metadata.generateName");
    assertEquals(messages, errs.stream().map(FieldError::message).toList());
    errs.forEach(e -> assertEquals("metadata.generateName", e.field()));
  }

  @Test
  void namespaceIsRequiredOnNamespacedTypesAndForbiddenOnOthers() {
    assertEquals(List.of(FieldError.required("metadata.namespace", "")),
        ObjectMetaValidation.validateNamespace("", true, "metadata.namespace"));
    assertEquals(List.of(), ObjectMetaValidation.validateNamespace("default", true, "m.ns"));
    assertEquals("metadata.namespace: Forbidden: not allowed on this type",
        ObjectMetaValidation.validateNamespace("default", false, "metadata.namespace")
            .get(0).errorString());
    assertEquals(List.of("must not contain dots"),
        ObjectMetaValidation.validateNamespace("a.b", true, "metadata.namespace").stream()
            .map(FieldError::message).toList());
  }

  // ---- labels ----

  @Test
  void validLabelsPass() {
    assertEquals(List.of(), ObjectMetaValidation.validateLabels(
        json("{'app':'web','example.com/tier':'','v':'1.2_3-x'}"), "metadata.labels"));
    assertEquals(List.of(), ObjectMetaValidation.validateLabels(null, "metadata.labels"));
  }

  @Test
  void badLabelKeysAndValuesAreReportedAtTheLabelsField() {
    List<FieldError> errs = ObjectMetaValidation.validateLabels(
        json("{'app':'web','-bad':'x','ok':'-bad'}"), "metadata.labels");
    assertEquals(List.of(
        FieldError.invalid("metadata.labels", "-bad", NAME_PART_MSG),
        FieldError.invalid("metadata.labels", "-bad", LABEL_VALUE_MSG)), errs);
  }

  @Test
  void tooLongLabelKeyPrefixAndValue() {
    String longPrefix = "a".repeat(254);
    List<FieldError> errs = ObjectMetaValidation.validateLabels(
        json("{'" + longPrefix + "/k':'" + "v".repeat(64) + "'}"), "metadata.labels");
    assertEquals(List.of("prefix part must be no more than 253 characters",
        "must be no more than 63 characters"),
        errs.stream().map(FieldError::message).toList());
  }

  // ---- annotations ----

  @Test
  void annotationKeysAreQualifiedNamesCheckedCaseInsensitively() {
    assertEquals(List.of(), ObjectMetaValidation.validateAnnotations(
        json("{'Example.COM/Key':'anything at all, even spaces'}"), "metadata.annotations"));
    List<FieldError> errs = ObjectMetaValidation.validateAnnotations(
        json("{'a/b/c':'v'}"), "metadata.annotations");
    assertEquals(1, errs.size());
    assertEquals("a/b/c", errs.get(0).value());
    assertTrue(errs.get(0).message().startsWith("a qualified name must consist of"));
  }

  @Test
  void annotationsUpToTheSizeLimitPass() {
    ObjectNode ann = JSON.createObjectNode();
    ann.put("k", "v".repeat(ObjectMetaValidation.TOTAL_ANNOTATION_SIZE_LIMIT_BYTES - 1));
    assertEquals(List.of(), ObjectMetaValidation.validateAnnotations(ann, "metadata.annotations"));
  }

  @Test
  void annotationsOverTheSizeLimitAreTooLong() {
    ObjectNode ann = JSON.createObjectNode();
    ann.put("k", "v".repeat(ObjectMetaValidation.TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
    List<FieldError> errs = ObjectMetaValidation.validateAnnotations(ann, "metadata.annotations");
    assertEquals(1, errs.size());
    assertEquals(Reason.TOO_LONG, errs.get(0).reason());
    assertEquals("FieldValueTooLong", errs.get(0).reason().causeType());
    assertEquals("metadata.annotations: Too long: must have at most 262144 bytes",
        errs.get(0).errorString());
  }

  // ---- finalizers ----

  @Test
  void finalizersAreQualifiedNames() {
    assertEquals(List.of(), ObjectMetaValidation.validateFinalizers(
        json("['kubernetes.io/pv-protection','foregroundDeletion']"), "metadata.finalizers"));
    List<FieldError> errs = ObjectMetaValidation.validateFinalizers(
        json("['ok','-bad']"), "metadata.finalizers");
    assertEquals(List.of(FieldError.invalid("metadata.finalizers", "-bad", NAME_PART_MSG)), errs);
  }

  @Test
  void orphanAndForegroundDeletionExcludeEachOther() {
    List<FieldError> errs = ObjectMetaValidation.validateFinalizers(
        json("['orphan','foregroundDeletion']"), "metadata.finalizers");
    assertEquals(1, errs.size());
    assertEquals("metadata.finalizers: Invalid value: []string{\"orphan\","
        + " \"foregroundDeletion\"}: finalizer orphan and foregroundDeletion cannot be both set",
        errs.get(0).errorString());
  }

  // ---- JSON types ----

  @Test
  void wellTypedMetadataHasNoTypeErrors() {
    assertEquals(List.of(), ObjectMetaValidation.validateMetadataTypes(json("{'name':'a',"
        + "'namespace':'ns','generateName':'a-','uid':'u','resourceVersion':'1','generation':2,"
        + "'creationTimestamp':'2024-01-01T00:00:00Z','deletionTimestamp':null,"
        + "'labels':{'a':'b'},'annotations':{'c':'d'},'finalizers':['f'],"
        + "'ownerReferences':[{'apiVersion':'v1','kind':'Pod','name':'p','uid':'u',"
        + "'controller':true,'blockOwnerDeletion':false}],'managedFields':[{}]}")));
    assertEquals(List.of(), ObjectMetaValidation.validateMetadataTypes(null));
    assertEquals(List.of(), ObjectMetaValidation.validateMetadataTypes(json("null")));
  }

  // metadata | field | expected type | actual type
  static Stream<Arguments> typeErrors() {
    return Stream.of(
        Arguments.of("[]", "metadata", "object", "array"),
        Arguments.of("{'name':5}", "metadata.name", "string", "integer"),
        Arguments.of("{'namespace':{}}", "metadata.namespace", "string", "object"),
        Arguments.of("{'generation':'1'}", "metadata.generation", "integer", "string"),
        Arguments.of("{'generation':1.5}", "metadata.generation", "integer", "number"),
        Arguments.of("{'labels':['a']}", "metadata.labels", "object", "array"),
        Arguments.of("{'labels':'a=b'}", "metadata.labels", "object", "string"),
        Arguments.of("{'labels':{'a':1}}", "metadata.labels[a]", "string", "integer"),
        Arguments.of("{'annotations':{'a':true}}", "metadata.annotations[a]", "string",
            "boolean"),
        Arguments.of("{'finalizers':'f'}", "metadata.finalizers", "array", "string"),
        Arguments.of("{'finalizers':['f',2]}", "metadata.finalizers[1]", "string", "integer"),
        Arguments.of("{'ownerReferences':[5]}", "metadata.ownerReferences[0]", "object",
            "integer"),
        Arguments.of("{'ownerReferences':[{'controller':'yes'}]}",
            "metadata.ownerReferences[0].controller", "boolean", "string"),
        Arguments.of("{'managedFields':{}}", "metadata.managedFields", "array", "object"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("typeErrors")
  void wrongJsonTypesAreInvalidValuesNotExceptions(String metadata, String field,
      String expectedType, String actualType) {
    List<FieldError> errs = ObjectMetaValidation.validateMetadataTypes(json(metadata));
    assertEquals(List.of(FieldError.invalid(field, actualType,
        field + " in body must be of type " + expectedType + ": \"" + actualType + "\"")), errs);
  }

  @Test
  void everyWrongFieldIsReported() {
    List<FieldError> errs = ObjectMetaValidation.validateMetadataTypes(
        json("{'name':1,'labels':{'a':1,'b':'ok','c':[]},'finalizers':[true]}"));
    assertEquals(List.of("metadata.name", "metadata.labels[a]", "metadata.labels[c]",
        "metadata.finalizers[0]"), errs.stream().map(FieldError::field).toList());
  }

  @Test
  void contentChecksSkipWronglyTypedEntriesInsteadOfThrowing() {
    assertEquals(List.of(), ObjectMetaValidation.validateLabels(json("{'a':1}"), "m.l"));
    assertEquals(List.of(), ObjectMetaValidation.validateLabels(json("['a']"), "m.l"));
    assertEquals(List.of(), ObjectMetaValidation.validateAnnotations(json("'x'"), "m.a"));
    assertEquals(List.of(), ObjectMetaValidation.validateFinalizers(json("[1,{}]"), "m.f"));
  }
}
