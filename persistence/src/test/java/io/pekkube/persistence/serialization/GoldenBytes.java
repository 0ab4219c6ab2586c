package io.pekkube.persistence.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * Pins the stored format of a value: its serialized bytes are committed as
 * {@code src/test/resources/golden/<name>.bin} and every build checks that the value still
 * serializes to exactly those bytes and that those bytes still deserialize to the value. A change
 * that would stop old journals from replaying therefore fails the build.
 *
 * <p>To create a missing file run the test once with {@code -Dpekkube.golden.write=true}; the file
 * is written into the calling module's {@code src/test/resources/golden/} and must be committed.
 * An existing file is never overwritten.
 */
public final class GoldenBytes {

  public static final String WRITE_PROPERTY = "pekkube.golden.write";
  /** Overrides where golden files live (defaults to {@code <module>/src/test/resources/golden}). */
  public static final String DIR_PROPERTY = "pekkube.golden.dir";

  private GoldenBytes() {}

  /**
   * @param resourceName the file name under {@code golden/}, with or without {@code .bin}
   */
  public static void assertMatches(Serialization ser, Object value, String resourceName) {
    String fileName = resourceName.endsWith(".bin") ? resourceName : resourceName + ".bin";
    Serializer serializer = ser.findSerializerFor(value);
    String manifest = Serializers.manifestFor(serializer, value);
    byte[] actual = serializer.toBinary(value);

    byte[] golden = readGolden(fileName);
    if (golden == null) {
      if (!Boolean.getBoolean(WRITE_PROPERTY)) {
        fail("No golden bytes golden/" + fileName + " for " + value.getClass().getName()
            + ". Create it by running this test with -D" + WRITE_PROPERTY + "=true, then commit "
            + "src/test/resources/golden/" + fileName + ".");
      }
      write(fileName, actual);
      golden = actual;
    }

    Object decoded = ser.deserialize(golden, serializer.identifier(), manifest).get();
    assertEquals(value, decoded, "golden/" + fileName + " no longer deserializes to the value: "
        + "events stored by earlier versions would not replay.");
    if (!Arrays.equals(golden, actual)) {
      fail("Serialized form of " + value.getClass().getName() + " differs from golden/" + fileName
          + " (the stored format changed).\n  golden: " + hex(golden) + "\n  actual: " + hex(actual)
          + "\nIf this value was ever released, keep the old format (new class or id, or a "
          + "migrating serializer). Only if it never was: delete the file and rerun with -D"
          + WRITE_PROPERTY + "=true.");
    }
  }

  private static byte[] readGolden(String fileName) {
    Path dir = goldenDir();
    try {
      if (dir != null) {
        Path file = dir.resolve(fileName);
        return Files.exists(file) ? Files.readAllBytes(file) : null;
      }
      // Outside a build (no module directory known): fall back to the test classpath.
      try (InputStream in = Thread.currentThread().getContextClassLoader()
          .getResourceAsStream("golden/" + fileName)) {
        return in == null ? null : in.readAllBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(String fileName, byte[] bytes) {
    Path dir = goldenDir();
    if (dir == null) {
      fail("Cannot tell which module's src/test/resources to write golden/" + fileName
          + " into; run from Maven (which sets basedir) or set -D" + DIR_PROPERTY + "=<dir>.");
    }
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve(fileName), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The calling module's golden directory: surefire sets {@code basedir} to the module. */
  private static Path goldenDir() {
    String explicit = System.getProperty(DIR_PROPERTY);
    if (explicit != null) {
      return Path.of(explicit);
    }
    for (String property : new String[] {"basedir", "user.dir"}) {
      String dir = System.getProperty(property);
      if (dir != null && Files.exists(Path.of(dir, "pom.xml"))) {
        return Path.of(dir, "src", "test", "resources", "golden");
      }
    }
    return null;
  }

  private static String hex(byte[] bytes) {
    String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 256));
    return bytes.length > 256 ? hex + "… (" + bytes.length + " bytes)" : hex;
  }
}
