package io.pekkube.actors.controllers.garbagecollector;

/** What the garbage collector observed of the object an owner reference points to. */
public enum OwnerState {
  /** No object of that kind and name, or one with another uid (the owner was recreated): the reference dangles. */
  ABSENT,
  /** The owner exists. */
  PRESENT,
  /** The owner exists and is being deleted in the foreground: it waits for its dependents to go. */
  DELETING_DEPENDENTS,
  /**
   * The reference names a kind the server does not serve, or a namespaced kind from a cluster-scoped
   * dependent: it can never be checked, so it holds the dependent (as Kubernetes does).
   */
  UNRESOLVABLE
}
