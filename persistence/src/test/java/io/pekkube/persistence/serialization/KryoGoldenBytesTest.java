package io.pekkube.persistence.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkube.persistence.serialization.SampleMessages.Labelled;
import io.pekkube.persistence.serialization.SampleMessages.ObjectCreated;
import io.pekkube.persistence.serialization.SampleMessages.Phase;
import io.pekkube.persistence.serialization.SampleMessages.Pong;
import io.pekkube.persistence.serialization.SampleMessages.Square;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** Events written by this version must replay in every later one. */
class KryoGoldenBytesTest {

  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("KryoGoldenBytesTest", KryoSerializerTest.CONFIG);
    serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static Labelled labelled() {
    return new Labelled(
        Map.of("app", "web", "tier", "frontend", "team", "core", "env", "prod", "zone", "a"),
        Set.of("kubernetes", "foregroundDeletion", "orphan", "example.com/cleanup"),
        List.of(80, 443, 8080));
  }

  @Test
  void objectCreatedEventFormatIsStable() {
    GoldenBytes.assertMatches(serialization,
        new ObjectCreated("ConfigMap", SampleMessages.meta("settings"), 17, SampleMessages.AT,
            "system:admin", Phase.SUCCEEDED, new Square(4),
            SampleMessages.json("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":{\"k\":\"v\"}}")),
        "object-created-v1");
  }

  @Test
  void immutableMapsAndSetsHaveOneFormatWhateverTheirIterationOrder() {
    GoldenBytes.assertMatches(serialization, labelled(), "labelled-v1");
  }

  @Test
  void recordWithEveryFieldTypeFormatIsStable() {
    GoldenBytes.assertMatches(serialization, SampleMessages.everything(), "everything-v1");
  }

  @Test
  void aChangedFormatFailsAgainstTheGoldenBytesWrittenBefore(@TempDir Path dir) {
    inGoldenDir(dir, true,
        () -> GoldenBytes.assertMatches(serialization, labelled(), "labelled"));
    Labelled changed = new Labelled(labelled().labels(), labelled().finalizers(), List.of(80));
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> inGoldenDir(dir, false,
        () -> GoldenBytes.assertMatches(serialization, changed, "labelled")));
    assertTrue(e.getMessage().contains("no longer deserializes"), e.getMessage());
  }

  @Test
  void missingGoldenFileFailsExplainingHowToCreateIt(@TempDir Path dir) {
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> inGoldenDir(dir, false,
        () -> GoldenBytes.assertMatches(serialization, new Pong("x"), "missing")));
    assertTrue(e.getMessage().contains("-Dpekkube.golden.write=true"), e.getMessage());
  }

  @Test
  void writeModeCreatesTheMissingFileAndNeverOverwritesIt(@TempDir Path dir) throws Exception {
    inGoldenDir(dir, true, () -> GoldenBytes.assertMatches(serialization, new Pong("a"), "pong"));
    byte[] written = Files.readAllBytes(dir.resolve("pong.bin"));
    assertThrows(AssertionFailedError.class, () -> inGoldenDir(dir, true,
        () -> GoldenBytes.assertMatches(serialization, new Pong("b"), "pong")));
    assertArrayEquals(written, Files.readAllBytes(dir.resolve("pong.bin")));
  }

  /** Runs {@code check} against golden files in {@code dir}, independent of how the build runs. */
  private static void inGoldenDir(Path dir, boolean write, Runnable check) {
    String previousDir = System.setProperty(GoldenBytes.DIR_PROPERTY, dir.toString());
    String previousWrite = System.setProperty(GoldenBytes.WRITE_PROPERTY, String.valueOf(write));
    try {
      check.run();
    } finally {
      restore(GoldenBytes.DIR_PROPERTY, previousDir);
      restore(GoldenBytes.WRITE_PROPERTY, previousWrite);
    }
  }

  private static void restore(String property, String previous) {
    if (previous == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, previous);
    }
  }
}
