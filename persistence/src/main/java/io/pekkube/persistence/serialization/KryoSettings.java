package io.pekkube.persistence.serialization;

import com.typesafe.config.Config;
import java.util.List;

/**
 * Typed view of {@code pekkube.serialization.kryo}.
 *
 * @param registrars fully qualified class names of the {@link KryoRegistrar}s to apply, in order
 */
public record KryoSettings(List<String> registrars) {

  public static final String PATH = "pekkube.serialization.kryo";

  public KryoSettings {
    registrars = List.copyOf(registrars);
  }

  public static KryoSettings from(Config config) {
    Config kryo = config.getConfig(PATH);
    return new KryoSettings(kryo.getStringList("registrars"));
  }
}
