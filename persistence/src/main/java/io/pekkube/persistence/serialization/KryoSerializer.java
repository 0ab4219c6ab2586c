package io.pekkube.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.JSerializer;

/**
 * Pekko serializer for {@link ClusterMessage}s and {@link JournalEvent}s. The bytes are Kryo's
 * class id followed by the object, with ids fixed by {@link KryoRegistrar}s, so no manifest is
 * needed and the format does not depend on class names or registration order. Unregistered classes
 * are refused. Thread-safe: Kryo instances and buffers are pooled.
 */
public final class KryoSerializer extends JSerializer {

  /** Pekko serializer id; part of every stored event, never change it. */
  public static final int IDENTIFIER = 7341;

  private static final int POOL_SIZE = 64;
  private static final int INITIAL_BUFFER = 1024;
  // Larger buffers are dropped after use instead of being kept in the pool.
  private static final int MAX_POOLED_BUFFER = 64 * 1024;

  private final Pool<Kryo> kryos;
  private final Pool<Output> outputs;

  public KryoSerializer(ExtendedActorSystem system) {
    this(system, KryoRegistry.fromConfig(system.settings().config()));
  }

  public KryoSerializer(ExtendedActorSystem system, KryoRegistry registry) {
    ActorRefCodec refs = new ActorRefCodec(system);
    this.kryos = new Pool<>(true, false, POOL_SIZE) {
      @Override
      protected Kryo create() {
        return new PekkubeKryo(registry, refs);
      }
    };
    this.outputs = new Pool<>(true, false, POOL_SIZE) {
      @Override
      protected Output create() {
        return new Output(INITIAL_BUFFER, -1);
      }
    };
    // Builds one instance now so a broken registration fails the actor system's start.
    kryos.free(kryos.obtain());
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public boolean includeManifest() {
    return false;
  }

  @Override
  public byte[] toBinary(Object o) {
    Kryo kryo = kryos.obtain();
    Output output = outputs.obtain();
    boolean clean = false;
    try {
      kryo.writeClassAndObject(output, o);
      byte[] bytes = output.toBytes();
      clean = true;
      return bytes;
    } catch (KryoException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Kryo cannot serialize " + o.getClass().getName() + ": " + e.getMessage(), e);
    } finally {
      release(kryo, clean);
      output.reset();
      if (output.getBuffer().length <= MAX_POOLED_BUFFER) {
        outputs.free(output);
      }
    }
  }

  @Override
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    Kryo kryo = kryos.obtain();
    boolean clean = false;
    try {
      Input input = new Input(bytes);
      Object value = kryo.readClassAndObject(input);
      if (input.position() != bytes.length) {
        throw new KryoException("read " + input.position() + " of " + bytes.length
            + " bytes; the writer used a different format");
      }
      clean = true;
      return value;
    } catch (KryoException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Kryo cannot deserialize " + bytes.length + " bytes: " + e.getMessage(), e);
    } finally {
      release(kryo, clean);
    }
  }

  // An instance that failed mid-operation may hold stale state: drop it rather than reuse it.
  private void release(Kryo kryo, boolean clean) {
    if (clean) {
      kryos.free(kryo);
    }
  }
}
