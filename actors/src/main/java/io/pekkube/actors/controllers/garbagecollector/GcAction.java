package io.pekkube.actors.controllers.garbagecollector;

import io.pekkube.actors.controllers.runtime.ObjectRef;
import java.util.Set;

/** A write the garbage collector decided; each names the uid it expects, so it never hits a successor. */
public sealed interface GcAction {
  ObjectRef ref();

  String uid();

  /** DELETE with uid and resourceVersion preconditions and a propagation policy. */
  record DeleteObject(ObjectRef ref, String uid, String resourceVersion, String policy) implements GcAction {}

  /** Drops the owner references to {@code ownerUids} from the object. */
  record RemoveOwnerReferences(ObjectRef ref, String uid, Set<String> ownerUids) implements GcAction {}

  /** Drops one finalizer; removing the last one of an object being deleted lets it go. */
  record RemoveFinalizer(ObjectRef ref, String uid, String finalizer) implements GcAction {}
}
