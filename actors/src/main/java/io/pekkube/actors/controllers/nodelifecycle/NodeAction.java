package io.pekkube.actors.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/** A write the node lifecycle controller makes to one Node. */
public sealed interface NodeAction permits NodeAction.SetConditions, NodeAction.SetTaints {

  /** Replace {@code status.conditions} (through the status subresource). */
  record SetConditions(ArrayNode conditions) implements NodeAction {}

  /** Replace {@code spec.taints} with this whole list. */
  record SetTaints(List<Taint> taints) implements NodeAction {}
}
