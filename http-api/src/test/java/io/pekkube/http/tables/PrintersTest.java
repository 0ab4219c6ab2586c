package io.pekkube.http.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.pekkube.actors.api.BuiltinTypes;
import io.pekkube.actors.api.Json;
import io.pekkube.actors.api.ResourceType;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Given a stored object, the printer of its type gives these cells (as Kubernetes' printers do). */
class PrintersTest {
  static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  /** Created 90 seconds before NOW. */
  static final String META = "\"metadata\":{\"name\":\"x\",\"creationTimestamp\":\"2024-05-01T11:58:30Z\"}";

  static Stream<Arguments> rows() {
    return Stream.of(
        // ---- pods: the STATUS reason
        row(BuiltinTypes.POD, "{" + META + ",\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":"
            + "\"Pending\",\"containerStatuses\":[{\"name\":\"a\",\"state\":{\"waiting\":{\"reason\":"
            + "\"ContainerCreating\"}}}]}}",
            "x", "0/1", "ContainerCreating", "0", "90s", "<none>", "<none>", "<none>", "<none>"),
        row(BuiltinTypes.POD, "{" + META + ",\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"a\"},"
            + "{\"name\":\"b\"}]},\"status\":{\"phase\":\"Running\",\"podIP\":\"10.1.2.3\",\"conditions\":[{\"type\":"
            + "\"Ready\",\"status\":\"True\"}],\"containerStatuses\":[{\"name\":\"a\",\"ready\":true,\"restartCount\":"
            + "2,\"lastState\":{\"terminated\":{\"exitCode\":1,\"finishedAt\":\"2024-05-01T11:55:00Z\"}},\"state\":"
            + "{\"running\":{}}},{\"name\":\"b\",\"ready\":true,\"state\":{\"running\":{}}}]}}",
            "x", "2/2", "Running", "2 (5m ago)", "90s", "10.1.2.3", "n1", "<none>", "<none>"),
        row(BuiltinTypes.POD, "{" + META + ",\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":"
            + "\"Running\",\"containerStatuses\":[{\"name\":\"a\",\"restartCount\":7,\"state\":{\"waiting\":"
            + "{\"reason\":\"CrashLoopBackOff\"}}}]}}",
            "x", "0/1", "CrashLoopBackOff", "7", "90s", "<none>", "<none>", "<none>", "<none>"),
        row(BuiltinTypes.POD, "{" + META + ",\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":"
            + "\"Succeeded\",\"containerStatuses\":[{\"name\":\"a\",\"state\":{\"terminated\":{\"exitCode\":0,"
            + "\"reason\":\"Completed\"}}}]}}",
            "x", "0/1", "Completed", "0", "90s", "<none>", "<none>", "<none>", "<none>"),
        row(BuiltinTypes.POD, "{\"metadata\":{\"name\":\"x\",\"creationTimestamp\":\"2024-05-01T11:58:30Z\","
            + "\"deletionTimestamp\":\"2024-05-01T11:59:00Z\"},\"spec\":{\"containers\":[{\"name\":\"a\"}]},"
            + "\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"a\",\"ready\":true,\"state\":"
            + "{\"running\":{}}}]}}",
            "x", "1/1", "Terminating", "0", "90s", "<none>", "<none>", "<none>", "<none>"),
        row(BuiltinTypes.POD, "{" + META + ",\"spec\":{\"initContainers\":[{\"name\":\"i\"}],\"containers\":"
            + "[{\"name\":\"a\"}],\"readinessGates\":[{\"conditionType\":\"g\"}]},\"status\":{\"phase\":\"Pending\","
            + "\"initContainerStatuses\":[{\"name\":\"i\",\"state\":{\"running\":{}}}]}}",
            "x", "0/1", "Init:0/1", "0", "90s", "<none>", "<none>", "<none>", "0/1"),
        // ---- apps
        row(BuiltinTypes.DEPLOYMENT, "{" + META + ",\"spec\":{\"replicas\":3,\"selector\":{\"matchLabels\":"
            + "{\"app\":\"web\"},\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"b\",\"a\"]}]},"
            + "\"template\":{\"spec\":{\"containers\":[{\"name\":\"n\",\"image\":\"nginx\"},{\"name\":\"s\","
            + "\"image\":\"busybox\"}]}}},\"status\":{\"readyReplicas\":2,\"updatedReplicas\":3,"
            + "\"availableReplicas\":2}}",
            "x", "2/3", 3L, 2L, "90s", "n,s", "nginx,busybox", "app=web,tier in (a,b)"),
        row(BuiltinTypes.REPLICA_SET, "{" + META + ",\"spec\":{\"replicas\":2},\"status\":{\"replicas\":2,"
            + "\"readyReplicas\":1}}",
            "x", 2L, 2L, 1L, "90s", "", "", ""),
        row(BuiltinTypes.STATEFUL_SET, "{" + META + ",\"spec\":{\"replicas\":2},\"status\":{\"readyReplicas\":2}}",
            "x", "2/2", "90s", "", ""),
        row(BuiltinTypes.DAEMON_SET, "{" + META + ",\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":"
            + "{\"os\":\"linux\"}}}},\"status\":{\"desiredNumberScheduled\":3,\"currentNumberScheduled\":3,"
            + "\"numberReady\":2,\"updatedNumberScheduled\":3,\"numberAvailable\":2}}",
            "x", 3L, 3L, 2L, 3L, 2L, "os=linux", "90s", "", "", "<none>"),
        // ---- batch
        row(BuiltinTypes.JOB, "{" + META + ",\"spec\":{\"completions\":2},\"status\":{\"succeeded\":2,"
            + "\"startTime\":\"2024-05-01T11:58:40Z\",\"completionTime\":\"2024-05-01T11:59:10Z\",\"conditions\":"
            + "[{\"type\":\"Complete\",\"status\":\"True\"}]}}",
            "x", "Complete", "2/2", "30s", "90s", "", "", "<none>"),
        row(BuiltinTypes.CRON_JOB, "{" + META + ",\"spec\":{\"schedule\":\"*/5 * * * *\"},\"status\":{}}",
            "x", "*/5 * * * *", "<none>", "False", 0L, "<none>", "90s", "", "", "<none>"),
        // ---- core
        row(BuiltinTypes.CONFIG_MAP, "{" + META + ",\"data\":{\"a\":\"1\",\"b\":\"2\"},\"binaryData\":{\"c\":\"\"}}",
            "x", 3L, "90s"),
        row(BuiltinTypes.SECRET, "{" + META + ",\"type\":\"Opaque\",\"data\":{\"a\":\"MQ==\"}}",
            "x", "Opaque", 1L, "90s"),
        row(BuiltinTypes.NAMESPACE, "{" + META + ",\"status\":{\"phase\":\"Active\"}}", "x", "Active", "90s"),
        row(BuiltinTypes.SERVICE_ACCOUNT, "{" + META + "}", "x", 0L, "90s"),
        row(BuiltinTypes.SERVICE, "{" + META + ",\"spec\":{\"type\":\"NodePort\",\"clusterIP\":\"10.96.0.10\","
            + "\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80,\"nodePort\":30080,\"protocol\":\"TCP\"},"
            + "{\"port\":53,\"protocol\":\"UDP\"}]}}",
            "x", "NodePort", "10.96.0.10", "<none>", "80:30080/TCP,53/UDP", "90s", "app=web"),
        row(BuiltinTypes.SERVICE, "{" + META + ",\"spec\":{\"type\":\"LoadBalancer\",\"clusterIP\":\"10.96.0.11\","
            + "\"ports\":[{\"port\":443}]}}",
            "x", "LoadBalancer", "10.96.0.11", "<pending>", "443/TCP", "90s", "<none>"),
        row(BuiltinTypes.NODE, "{\"metadata\":{\"name\":\"n1\",\"creationTimestamp\":\"2024-05-01T11:58:30Z\","
            + "\"labels\":{\"node-role.kubernetes.io/control-plane\":\"\"}},\"spec\":{\"unschedulable\":true},"
            + "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],\"addresses\":[{\"type\":"
            + "\"InternalIP\",\"address\":\"192.168.1.5\"}],\"nodeInfo\":{\"kubeletVersion\":\"v1.32.0\"}}}",
            "n1", "Ready,SchedulingDisabled", "control-plane", "90s", "v1.32.0", "192.168.1.5", "<none>",
            "<unknown>", "<unknown>", "<unknown>"),
        row(BuiltinTypes.ENDPOINTS, "{" + META + ",\"subsets\":[{\"addresses\":[{\"ip\":\"10.0.0.1\"},{\"ip\":"
            + "\"10.0.0.2\"}],\"ports\":[{\"port\":80},{\"port\":443}]}]}",
            "x", "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...", "90s"),
        row(BuiltinTypes.EVENT, "{" + META + ",\"type\":\"Warning\",\"reason\":\"BackOff\",\"message\":\" restarting "
            + "\",\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"web-1\",\"fieldPath\":\"spec.containers{a}\"},"
            + "\"source\":{\"component\":\"kubelet\",\"host\":\"n1\"},\"firstTimestamp\":\"2024-05-01T11:50:00Z\","
            + "\"lastTimestamp\":\"2024-05-01T11:59:00Z\",\"count\":4}",
            "60s", "Warning", "BackOff", "pod/web-1", "spec.containers{a}", "kubelet, n1", "restarting", "10m", 4L,
            "x"),
        row(BuiltinTypes.PERSISTENT_VOLUME_CLAIM, "{" + META + ",\"spec\":{\"volumeName\":\"pv1\","
            + "\"storageClassName\":\"fast\"},\"status\":{\"phase\":\"Bound\",\"capacity\":{\"storage\":\"1Gi\"},"
            + "\"accessModes\":[\"ReadWriteOnce\"]}}",
            "x", "Bound", "pv1", "1Gi", "RWO", "fast", "<unset>", "90s", "<unset>"),
        row(BuiltinTypes.LEASE, "{" + META + ",\"spec\":{\"holderIdentity\":\"me\"}}", "x", "me", "90s"),
        row(BuiltinTypes.ROLE_BINDING, "{" + META + ",\"roleRef\":{\"kind\":\"Role\",\"name\":\"r\"},\"subjects\":"
            + "[{\"kind\":\"User\",\"name\":\"u\"},{\"kind\":\"ServiceAccount\",\"namespace\":\"ns\",\"name\":\"sa\"}]}",
            "x", "Role/r", "90s", "u", "", "ns:sa"),
        row(BuiltinTypes.INGRESS, "{" + META + ",\"spec\":{\"rules\":[{\"host\":\"a.example\"}],\"tls\":[{}]}}",
            "x", "<none>", "a.example", "", "80, 443", "90s"),
        // ---- without a printer of its own: NAME, CREATED AT
        row(BuiltinTypes.ROLE, "{" + META + "}", "x", "2024-05-01T11:58:30Z"));
  }

  private static Arguments row(ResourceType type, String json, Object... cells) {
    return Arguments.of(type.resourceKey() + " " + cells[cells.length > 2 ? 2 : 0], type, json, List.of(cells));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void printsTheCellsKubernetesPrints(String label, ResourceType type, String json, List<Object> expected) {
    JsonNode object = Json.parseTrusted(json);
    assertEquals(expected, Printers.forType(type).cells(object, NOW));
  }

  @Test
  void everyBuiltinTypeHasAPrinterWhoseRowsFitItsColumns() {
    JsonNode empty = Json.parseTrusted("{" + META + "}");
    for (ResourceType type : BuiltinTypes.ALL_TYPES) {
      Printer p = Printers.forType(type);
      assertEquals(p.columns().size(), p.cells(empty, NOW).size(), type.resourceKey());
    }
  }

  @Test
  void podColumnsAreNameReadyStatusRestartsAgeAndWideOnes() {
    List<Column> columns = Printers.forType(BuiltinTypes.POD).columns();
    assertEquals(List.of("Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node",
        "Readiness Gates"), columns.stream().map(Column::name).toList());
    assertEquals(List.of(0, 0, 0, 0, 0, 1, 1, 1, 1), columns.stream().map(Column::priority).toList());
    assertEquals("name", columns.get(0).format());
  }
}
