package io.pekkube.persistence.serialization;

import io.pekkube.persistence.serialization.SampleMessages.Carrier;
import io.pekkube.persistence.serialization.SampleMessages.Circle;
import io.pekkube.persistence.serialization.SampleMessages.ClassicEnvelope;
import io.pekkube.persistence.serialization.SampleMessages.Everything;
import io.pekkube.persistence.serialization.SampleMessages.Labelled;
import io.pekkube.persistence.serialization.SampleMessages.Meta;
import io.pekkube.persistence.serialization.SampleMessages.ObjectCreated;
import io.pekkube.persistence.serialization.SampleMessages.Phase;
import io.pekkube.persistence.serialization.SampleMessages.Ping;
import io.pekkube.persistence.serialization.SampleMessages.Pong;
import io.pekkube.persistence.serialization.SampleMessages.Square;
import io.pekkube.persistence.serialization.SampleMessages.WithArrays;

/** Test registrations, in the block 100..199. */
public final class SampleRegistrar implements KryoRegistrar {

  @Override
  public void register(Registrations r) {
    r.register(Phase.class, 100);
    r.register(Circle.class, 101);
    r.register(Square.class, 102);
    r.register(Meta.class, 103);
    r.register(Everything.class, 104);
    r.register(WithArrays.class, 105);
    r.register(Ping.class, 106);
    r.register(Pong.class, 107);
    r.register(ClassicEnvelope.class, 108);
    r.register(ObjectCreated.class, 109);
    r.register(Labelled.class, 110);
    r.register(Carrier.class, 111);
  }
}
