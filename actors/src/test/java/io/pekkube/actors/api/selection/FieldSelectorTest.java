package io.pekkube.actors.api.selection;

import static io.pekkube.actors.api.selection.LabelSelectorTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.selection.FieldSelector.Operator;
import io.pekkube.actors.api.selection.FieldSelector.Term;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldSelectorTest {

  private static final JsonNode POD = json("{'kind':'Pod','metadata':{'name':'web-1',"
      + "'namespace':'default'},'spec':{'nodeName':'n1','restartPolicy':'Always',"
      + "'schedulerName':'default-scheduler','serviceAccountName':'sa'},"
      + "'status':{'phase':'Running','podIP':'10.0.0.9','podIPs':[{'ip':'10.0.0.9'},"
      + "{'ip':'fd00::9'}]}}");

  // input | canonical string form
  @ParameterizedTest(name = "[{index}] \"{0}\" -> \"{1}\"")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "\"\"                       | \"\"",
      "a=b                        | a=b",
      "a==b                       | a=b",
      "a!=b                       | a!=b",
      "a=                         | a=",
      "\"b=1,a=2\"                | \"a=2,b=1\"",
      "\"a=b,,c=d\"               | \"a=b,c=d\"",
      "\"a=x\\,y\"                | \"a=x\\,y\"",
      "a=x\\=y                    | a=x\\=y",
      "a=x\\\\y                   | a=x\\\\y",
      "\" a = b \"                | \" a = b \"",
  })
  void parsesAndRendersLikeKubernetes(String input, String canonical) {
    assertEquals(canonical, FieldSelector.parse(input).toString());
  }

  @Test
  void escapedCharactersAreUnescapedInTheValue() {
    FieldSelector s = FieldSelector.parse("a=x\\,y\\=z\\\\w,b!=1");
    assertEquals(List.of(new Term("a", Operator.EQUALS, "x,y=z\\w"),
        new Term("b", Operator.NOT_EQUALS, "1")), s.terms());
  }

  @Test
  void firstOperatorInATermSplitsIt() {
    assertEquals(List.of(new Term("a", Operator.NOT_EQUALS, "=b")),
        FieldSelector.parse("a!=\\=b").terms());
    assertEquals(List.of(new Term("a", Operator.EQUALS, "!b")),
        FieldSelector.parse("a=!b").terms());
  }

  // input | exact Kubernetes error message
  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "a              | invalid selector: 'a'; can't understand 'a'",
      "\"a=b,c\"      | invalid selector: 'a=b,c'; can't understand 'c'",
      "a=b=c          | invalid field selector: unescapedRune character in value: 61",
      "a=b\\x         | invalid field selector: invalid escape sequence: \\x",
      "a=b\\          | invalid field selector: invalid escape sequence: \\",
  })
  void rejectsMalformedSelectorsWithKubernetesMessages(String input, String message) {
    SelectorParseException e =
        assertThrows(SelectorParseException.class, () -> FieldSelector.parse(input));
    assertEquals(message, e.getMessage());
  }

  // selector | matches POD
  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "\"\"                                              | true",
      "spec.nodeName=n1                                  | true",
      "spec.nodeName==n1                                 | true",
      "spec.nodeName!=n1                                 | false",
      "spec.nodeName=                                    | false",
      "spec.host=n1                                      | true",
      "spec.restartPolicy=Always                         | true",
      "spec.schedulerName=default-scheduler              | true",
      "spec.serviceAccountName=sa                        | true",
      "spec.hostNetwork=false                            | true",
      "spec.hostNetwork=                                 | false",
      "status.phase=Running                              | true",
      "status.phase!=Running                             | false",
      "status.podIP=10.0.0.9                             | true",
      "status.podIPs=                                    | true",
      "status.nominatedNodeName=                         | true",
      "\"metadata.name=web-1,metadata.namespace=default\"| true",
      "\"metadata.name=web-1,metadata.namespace=other\"  | false",
  })
  void matchesPodFields(String selector, boolean expected) {
    assertEquals(expected, FieldSelector.parse(selector).matches(POD, FieldSet.forKind("Pod")));
  }

  @Test
  void podIpComesFromTheFirstPodIpThenFromPodIp() {
    FieldSet pods = FieldSet.forKind("Pod");
    assertEquals("10.0.0.1", pods.read(json("{'status':{'podIP':'10.0.0.2',"
        + "'podIPs':[{'ip':'10.0.0.1'}]}}"), "status.podIP"));
    assertEquals("10.0.0.2", pods.read(json("{'status':{'podIP':'10.0.0.2'}}"), "status.podIP"));
    assertEquals("", pods.read(json("{}"), "status.podIP"));
  }

  @Test
  void hostNetworkReadsAsTrueOrFalse() {
    FieldSet pods = FieldSet.forKind("Pod");
    assertEquals("true", pods.read(json("{'spec':{'hostNetwork':true}}"), "spec.hostNetwork"));
    assertEquals("false", pods.read(json("{'spec':{}}"), "spec.hostNetwork"));
  }

  // kind | selector | exact Kubernetes error message
  @ParameterizedTest(name = "[{index}] {0}: {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "Pod                   | spec.foo=x            | field label not supported: spec.foo",
      "Pod                   | metadata.uid=x        | field label not supported: metadata.uid",
      "Node                  | metadata.namespace=x  | field label not supported: metadata.namespace",
      "Node                  | spec.podCIDR=x        | field label not supported: spec.podCIDR",
      "Namespace             | metadata.namespace=x  | field label not supported: metadata.namespace",
      "Secret                | data=x                | field label not supported: data",
      "Event                 | message=x             | field label not supported: message",
      "Service               | spec.ports=x          | field label not supported: spec.ports",
      "ReplicationController | spec.replicas=1       | field label not supported: spec.replicas",
      "Job                   | status.active=1       | field label \"status.active\" not supported for batchv1.Job",
      "ConfigMap             | data.x=y              | \"data.x\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
      "ReplicaSet            | status.replicas=1     | \"status.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
      "Deployment            | spec.replicas=1       | \"spec.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
  })
  void unsupportedFieldsAreRejectedWithTheKindsKubernetesMessage(String kind, String selector,
      String message) {
    FieldSelector parsed = FieldSelector.parse(selector);
    FieldSet fields = FieldSet.forKind(kind);
    SelectorParseException e =
        assertThrows(SelectorParseException.class, () -> parsed.convert(fields));
    assertEquals(message, e.getMessage());
    assertThrows(SelectorParseException.class, () -> parsed.matches(json("{}"), fields));
  }

  @Test
  void everyKindSupportsNameAndNamespaceExceptClusterScopedNodeAndNamespace() {
    for (String kind : List.of("Pod", "Secret", "Event", "Service", "ReplicationController",
        "Job", "ConfigMap", "ReplicaSet", "Deployment", "ClusterRole")) {
      FieldSet fields = FieldSet.forKind(kind);
      assertTrue(fields.supports("metadata.name"), kind);
      assertTrue(fields.supports("metadata.namespace"), kind);
    }
    assertEquals(Set.of("metadata.name", "spec.unschedulable"), FieldSet.forKind("Node").fields());
    assertEquals(Set.of("metadata.name", "status.phase"), FieldSet.forKind("Namespace").fields());
  }

  @Test
  void convertReplacesLegacyAliasesWithCanonicalFields() {
    assertEquals("spec.nodeName=n1",
        FieldSelector.parse("spec.host=n1").convert(FieldSet.forKind("Pod")).toString());
  }

  @Test
  void nodeUnschedulableReadsAsBoolean() {
    FieldSet nodes = FieldSet.forKind("Node");
    FieldSelector schedulable = FieldSelector.parse("spec.unschedulable=false");
    assertTrue(schedulable.matches(json("{'metadata':{'name':'n1'},'spec':{}}"), nodes));
    assertFalse(schedulable.matches(json("{'spec':{'unschedulable':true}}"), nodes));
  }

  @Test
  void namespacePhaseIsSelectable() {
    assertTrue(FieldSelector.parse("status.phase=Terminating")
        .matches(json("{'status':{'phase':'Terminating'}}"), FieldSet.forKind("Namespace")));
  }

  @Test
  void secretTypeIsSelectable() {
    JsonNode secret = json("{'metadata':{'name':'s'},'type':'kubernetes.io/tls'}");
    assertTrue(FieldSelector.parse("type=kubernetes.io/tls")
        .matches(secret, FieldSet.forKind("Secret")));
    assertFalse(FieldSelector.parse("type=Opaque").matches(secret, FieldSet.forKind("Secret")));
  }

  @Test
  void coreEventFieldsReadTheInvolvedObjectAndSource() {
    JsonNode event = json("{'metadata':{'name':'e','namespace':'ns'},"
        + "'involvedObject':{'kind':'Pod','namespace':'ns','name':'web-1','uid':'u1',"
        + "'apiVersion':'v1','resourceVersion':'7','fieldPath':'spec.containers{c}'},"
        + "'reason':'Scheduled','source':{'component':'default-scheduler'},"
        + "'reportingComponent':'sched','type':'Normal'}");
    FieldSelector s = FieldSelector.parse("involvedObject.kind=Pod,involvedObject.name=web-1,"
        + "involvedObject.namespace=ns,involvedObject.uid=u1,involvedObject.apiVersion=v1,"
        + "involvedObject.resourceVersion=7,involvedObject.fieldPath=spec.containers{c},"
        + "reason=Scheduled,source=default-scheduler,reportingComponent=sched,type=Normal");
    assertTrue(s.matches(event, FieldSet.forKind("Event")));
    assertTrue(s.matches(event, FieldSet.forKind("", "Event")));
    assertFalse(FieldSelector.parse("type=Warning").matches(event, FieldSet.forKind("Event")));
  }

  @Test
  void eventsApiEventFieldsReadRegardingAndDeprecatedSource() {
    JsonNode event = json("{'apiVersion':'events.k8s.io/v1','metadata':{'name':'e'},"
        + "'regarding':{'kind':'Node','name':'n1'},'reason':'Ready',"
        + "'deprecatedSource':{'component':'kubelet'},'reportingController':'kubelet',"
        + "'type':'Normal'}");
    FieldSet fields = FieldSet.forKind("events.k8s.io", "Event");
    assertTrue(FieldSelector.parse("involvedObject.kind=Node,involvedObject.name=n1,"
        + "source=kubelet,reportingComponent=kubelet,reason=Ready").matches(event, fields));
    assertEquals("field label not supported: note",
        assertThrows(SelectorParseException.class, () -> fields.resolve("note")).getMessage());
  }

  @Test
  void jobSuccessfulCountsSucceededPodsWithZeroWhenAbsent() {
    FieldSet jobs = FieldSet.forKind("batch", "Job");
    assertTrue(FieldSelector.parse("status.successful=0").matches(json("{'status':{}}"), jobs));
    assertTrue(FieldSelector.parse("status.successful=3")
        .matches(json("{'status':{'succeeded':3}}"), jobs));
    assertEquals(jobs.fields(), FieldSet.forKind("Job").fields());
  }

  @Test
  void replicationControllerReplicasIsSelectable() {
    assertTrue(FieldSelector.parse("status.replicas=2")
        .matches(json("{'status':{'replicas':2}}"), FieldSet.forKind("ReplicationController")));
    assertTrue(FieldSelector.parse("status.replicas=0")
        .matches(json("{}"), FieldSet.forKind("ReplicationController")));
  }

  @Test
  void serviceTypeAndClusterIpAreSelectable() {
    JsonNode svc = json("{'spec':{'type':'ClusterIP','clusterIP':'10.96.0.10'}}");
    assertTrue(FieldSelector.parse("spec.type=ClusterIP,spec.clusterIP=10.96.0.10")
        .matches(svc, FieldSet.forKind("Service")));
  }

  @Test
  void jobInAnotherGroupGetsTheDefaultRules() {
    assertFalse(FieldSet.forKind("example.com", "Job").supports("status.successful"));
  }

  @Test
  void missingValuesCompareAsEmpty() {
    JsonNode bare = json("{}");
    FieldSet pods = FieldSet.forKind("Pod");
    assertTrue(FieldSelector.parse("spec.nodeName=,metadata.name=").matches(bare, pods));
    assertTrue(FieldSelector.parse("spec.nodeName!=n1").matches(bare, pods));
  }

  @Test
  void everythingMatchesAnyObjectOfAnyKind() {
    assertTrue(FieldSelector.everything().isEmpty());
    assertTrue(FieldSelector.parse("").matches(json("{}"), FieldSet.forKind("Anything")));
    assertFalse(FieldSelector.parse("metadata.name=x").isEmpty());
  }

  @Test
  void requiresExactMatchReportsTheEqualityValue() {
    FieldSelector s = FieldSelector.parse("spec.nodeName=n1,status.phase!=Failed");
    assertEquals(Optional.of("n1"), s.requiresExactMatch("spec.nodeName"));
    assertEquals(Optional.empty(), s.requiresExactMatch("status.phase"));
  }

  @Test
  void escapeValueRoundTripsThroughParse() {
    String value = "a,b=c\\d";
    FieldSelector s = FieldSelector.parse("metadata.name=" + FieldSelector.escapeValue(value));
    assertEquals(value, s.terms().get(0).value());
  }
}
