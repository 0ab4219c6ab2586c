package io.pekkube.actors.controllers.garbagecollector;

import io.pekkube.actors.controllers.runtime.ObjectRef;

/**
 * A dependent of the object being reconciled, as the dependency graph knows it: {@code blocksOwner}
 * is its reference's {@code blockOwnerDeletion} toward that object.
 */
public record Dependent(ObjectRef ref, String uid, boolean blocksOwner) {}
