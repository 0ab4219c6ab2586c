package io.pekkube.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;

/**
 * Writes actor references as their serialization format (a path with the node's address) and
 * resolves them on the receiving node, for typed and classic references of any implementation
 * class.
 */
final class ActorRefCodec {

  private final ExtendedActorSystem system;
  // Resolved on first use: serializers are created while the Serialization extension itself is
  // being initialised, too early to ask for another extension.
  private volatile ActorRefResolver resolver;

  ActorRefCodec(ExtendedActorSystem system) {
    this.system = system;
  }

  Serializer<ActorRef<?>> typedSerializer() {
    return new Serializer<>(false, true) {
      @Override
      public void write(Kryo kryo, Output output, ActorRef<?> ref) {
        output.writeString(resolver().toSerializationFormat(ref));
      }

      @Override
      public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
        return resolver().resolveActorRef(input.readString());
      }
    };
  }

  Serializer<org.apache.pekko.actor.ActorRef> classicSerializer() {
    return new Serializer<>(false, true) {
      @Override
      public void write(Kryo kryo, Output output, org.apache.pekko.actor.ActorRef ref) {
        output.writeString(Serialization.serializedActorPath(ref));
      }

      @Override
      public org.apache.pekko.actor.ActorRef read(
          Kryo kryo, Input input, Class<? extends org.apache.pekko.actor.ActorRef> type) {
        return system.provider().resolveActorRef(input.readString());
      }
    };
  }

  private ActorRefResolver resolver() {
    ActorRefResolver r = resolver;
    if (r == null) {
      r = ActorRefResolver.get(Adapter.toTyped(system));
      resolver = r;
    }
    return r;
  }
}
