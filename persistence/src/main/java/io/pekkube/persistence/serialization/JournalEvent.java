package io.pekkube.persistence.serialization;

/**
 * Marks every persisted event and snapshot state. Bound to {@link KryoSerializer} in
 * {@code reference.conf}; every concrete class needs a fixed id in a {@link KryoRegistrar}. Bytes
 * written once must replay forever: never reuse or change an id, and prove compatibility with
 * golden bytes ({@code GoldenBytes} in this module's test-jar).
 */
public interface JournalEvent {}
