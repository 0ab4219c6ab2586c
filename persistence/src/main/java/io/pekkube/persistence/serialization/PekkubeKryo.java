package io.pekkube.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.serializers.EnumNameSerializer;

/**
 * One Kryo instance configured for Pekkube: registration required, the built-ins, then the
 * application registrations. Not thread-safe; {@link KryoSerializer} pools them.
 */
final class PekkubeKryo extends Kryo {

  PekkubeKryo(KryoRegistry registry, ActorRefCodec refs) {
    setRegistrationRequired(true);
    setReferences(false);
    // Journal bytes must survive reordering or inserting enum constants.
    addDefaultSerializer(Enum.class, EnumNameSerializer.class);
    for (BuiltInRegistrations.BuiltIn builtIn : BuiltInRegistrations.all()) {
      var serializer = builtIn.serializer().apply(refs);
      if (serializer == null) {
        register(builtIn.type(), builtIn.id());
      } else {
        register(builtIn.type(), serializer, builtIn.id());
      }
    }
    for (KryoRegistry.Entry entry : registry.entries()) {
      if (entry.serializer() == null) {
        register(entry.type(), entry.id());
      } else {
        register(entry.type(), entry.serializer(), entry.id());
      }
    }
  }

  /** Any actor reference or JSON tree implementation is written under its family's id. */
  @Override
  public Registration getRegistration(Class type) {
    Registration registration = getClassResolver().getRegistration(type);
    if (registration != null) {
      return registration;
    }
    Class<?> family = BuiltInRegistrations.familyOf(type);
    if (family != null) {
      return getClassResolver().getRegistration(family);
    }
    return super.getRegistration(type);
  }

  @Override
  protected String unregisteredClassMessage(Class type) {
    return "Class is not registered for Kryo serialization: " + type.getName()
        + ". Register it with a fixed, never reused id (>= " + KryoRegistrar.FIRST_APPLICATION_ID
        + ") in a KryoRegistrar listed in " + KryoSettings.PATH + ".registrars.";
  }
}
