package io.pekkube.actors.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the scheduler needs of a StorageClass: whether its claims wait for the first pod
 * ({@code volumeBindingMode: WaitForFirstConsumer}), its provisioner, and the topology its volumes can
 * be provisioned in ({@code allowedTopologies}, each term's {@code matchLabelExpressions} as an
 * {@code In} node selector term; no terms: anywhere).
 */
public record StorageClassInfo(String name, String provisioner, boolean waitForFirstConsumer,
    List<NodeSelector> allowedTopologies) {

  public static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";
  /** A provisioner name saying the class has no dynamic provisioning (static local volumes). */
  public static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";

  public boolean provisions() {
    return !provisioner.isEmpty() && !NO_PROVISIONER.equals(provisioner);
  }

  /** Kubernetes' {@code MatchTopologySelectorTerms}: no terms match every node; an empty term matches none. */
  public boolean allowsTopologyOf(NodeInfo node) {
    return allowedTopologies.isEmpty() || NodeSelector.anyMatches(allowedTopologies, node);
  }

  public static StorageClassInfo of(ObjectNode storageClass) {
    List<NodeSelector> terms = new ArrayList<>();
    for (JsonNode term : storageClass.path("allowedTopologies")) {
      List<NodeSelector.Requirement> requirements = new ArrayList<>();
      for (JsonNode e : term.path("matchLabelExpressions")) {
        requirements.add(new NodeSelector.Requirement(e.path("key").asText(""), "In",
            ClaimInfo.strings(e.path("values"))));
      }
      terms.add(new NodeSelector(List.copyOf(requirements), List.of()));
    }
    // Defaulting makes an absent mode Immediate.
    return new StorageClassInfo(storageClass.path("metadata").path("name").asText(""),
        storageClass.path("provisioner").asText(""),
        WAIT_FOR_FIRST_CONSUMER.equals(storageClass.path("volumeBindingMode").asText("")), List.copyOf(terms));
  }
}
