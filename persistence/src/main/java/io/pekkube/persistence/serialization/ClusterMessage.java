package io.pekkube.persistence.serialization;

/**
 * Marks every message that may cross the cluster (commands, replies, notifications). Bound to
 * {@link KryoSerializer} in {@code reference.conf}; every concrete class needs a fixed id in a
 * {@link KryoRegistrar}, so the wire format never depends on class order or class names.
 */
public interface ClusterMessage {}
