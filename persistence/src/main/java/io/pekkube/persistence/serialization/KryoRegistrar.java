package io.pekkube.persistence.serialization;

import com.esotericsoftware.kryo.Serializer;

/**
 * Contributes class registrations to {@link KryoSerializer}. Implementations have a public no-arg
 * constructor and are listed in {@code pekkube.serialization.kryo.registrars}; each module appends
 * its own in its {@code reference.conf}.
 *
 * <p>Ids are part of the wire and journal format: unique across all registrars, at least
 * {@value #FIRST_APPLICATION_ID}, and never reused or changed once released. By convention each
 * module owns a block of a thousand ids (for example actors 1000..1999, http-api 2000..2999) so
 * registrars written independently never collide; 100..999 are for this module and its tests.
 */
public interface KryoRegistrar {

  /** Ids below this are reserved for the serializer's built-ins (JDK types, ActorRef, JsonNode). */
  int FIRST_APPLICATION_ID = 100;

  void register(Registrations r);

  /** Where a registrar declares its classes. */
  interface Registrations {

    /**
     * Registers {@code type} with Kryo's default serializer for it (records use Kryo's record
     * serializer, enums are written by constant name).
     */
    void register(Class<?> type, int id);

    /**
     * Registers {@code type} with an explicit serializer. The instance is shared by every pooled
     * Kryo instance and so by many threads: it must be stateless.
     */
    void register(Class<?> type, int id, Serializer<?> serializer);
  }
}
