package io.pekkube.persistence.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pekkube.persistence.serialization.SampleMessages.Carrier;
import io.pekkube.persistence.serialization.SampleMessages.ClassicEnvelope;
import io.pekkube.persistence.serialization.SampleMessages.Everything;
import io.pekkube.persistence.serialization.SampleMessages.Phase;
import io.pekkube.persistence.serialization.SampleMessages.Ping;
import io.pekkube.persistence.serialization.SampleMessages.Pong;
import io.pekkube.persistence.serialization.SampleMessages.Unregistered;
import io.pekkube.persistence.serialization.SampleMessages.WithArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KryoSerializerTest {

  static final Config CONFIG = ConfigFactory.parseString(
      "pekkube.serialization.kryo.registrars = [\"" + SampleRegistrar.class.getName() + "\"]");

  private static ActorTestKit testKit;
  private static Serialization serialization;
  private static KryoSerializer kryo;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("KryoSerializerTest", CONFIG);
    serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    kryo = (KryoSerializer) serialization.findSerializerFor(new Pong("x"));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) {
    byte[] bytes = kryo.toBinary(value);
    return (T) kryo.fromBinary(bytes);
  }

  @Test
  void clusterMessagesAndJournalEventsAreBoundToKryoWithoutManifest() {
    assertInstanceOf(KryoSerializer.class, serialization.findSerializerFor(new Pong("x")));
    assertInstanceOf(KryoSerializer.class,
        serialization.findSerializerFor(SampleMessages.everything()));
    assertEquals(7341, kryo.identifier());
    assertEquals(false, kryo.includeManifest());
  }

  @Test
  void recordWithEverySupportedFieldTypeRoundTrips() {
    Everything value = SampleMessages.everything();
    Everything decoded = roundTrip(value);
    assertNotSame(value, decoded);
    assertEquals(value, decoded);
    assertEquals(Phase.RUNNING, decoded.phaseWithBody());
  }

  @Test
  void immutableCollectionsStayImmutable() {
    Everything decoded = roundTrip(SampleMessages.everything());
    assertThrows(UnsupportedOperationException.class, () -> decoded.listOf().add("w"));
    assertThrows(UnsupportedOperationException.class, () -> decoded.setOf().add("w"));
    assertThrows(UnsupportedOperationException.class, () -> decoded.mapOf().put("w", 0));
    assertThrows(UnsupportedOperationException.class, () -> decoded.unmodifiableMap().clear());
    assertThrows(UnsupportedOperationException.class, () -> decoded.streamToListWithNull().clear());
    assertEquals(List.of("z", "a"), new ArrayList<>(decoded.unmodifiableMap().keySet()),
        "insertion order survives");
  }

  @Test
  void arraysRoundTrip() {
    WithArrays decoded = roundTrip(
        new WithArrays(new byte[] {1, -2, 3}, new long[] {Long.MIN_VALUE, 0}, new String[] {"a", null}));
    assertArrayEquals(new byte[] {1, -2, 3}, decoded.bytes());
    assertArrayEquals(new long[] {Long.MIN_VALUE, 0}, decoded.longs());
    assertArrayEquals(new String[] {"a", null}, decoded.strings());
  }

  @Test
  void typedActorRefRoundTripsAndStillDelivers() {
    TestProbe<Pong> probe = testKit.createTestProbe();
    Ping decoded = roundTrip(new Ping("hi", probe.ref()));
    assertEquals(probe.ref(), decoded.replyTo());
    decoded.replyTo().tell(new Pong("back"));
    probe.expectMessage(new Pong("back"));
  }

  @Test
  void classicActorRefRoundTrips() {
    TestProbe<Pong> probe = testKit.createTestProbe();
    org.apache.pekko.actor.ActorRef classic = Adapter.toClassic(probe.ref());
    ClassicEnvelope decoded = roundTrip(new ClassicEnvelope(classic));
    assertEquals(classic, decoded.sender());
  }

  @Test
  void unregisteredClassIsRefusedNamingTheClassAndTheFix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> kryo.toBinary(new Unregistered("x")));
    assertTrue(e.getMessage().contains(Unregistered.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains("KryoRegistrar"), e.getMessage());
    assertTrue(e.getMessage().contains("pekkube.serialization.kryo.registrars"), e.getMessage());
  }

  @Test
  void unregisteredClassInsideARegisteredOneIsRefusedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> kryo.toBinary(new Carrier(new Unregistered("x"))));
    assertTrue(e.getMessage().contains(Unregistered.class.getName()), e.getMessage());
  }

  @Test
  void bytesWithTrailingGarbageAreRejected() {
    byte[] bytes = kryo.toBinary(new Pong("x"));
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(IllegalArgumentException.class, () -> kryo.fromBinary(longer));
  }

  @Test
  void unknownClassIdIsRejected() {
    // Class id 4000 (varint, +2 offset) is registered by nobody.
    assertThrows(IllegalArgumentException.class,
        () -> kryo.fromBinary(new byte[] {(byte) 0xA2, 0x1F}));
  }

  @Test
  void concurrentUseFromManyThreadsIsSafe() throws Exception {
    Everything value = SampleMessages.everything();
    byte[] expected = kryo.toBinary(value);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        tasks.add(() -> {
          for (int i = 0; i < 500; i++) {
            byte[] bytes = kryo.toBinary(value);
            if (!Arrays.equals(expected, bytes) || !value.equals(kryo.fromBinary(bytes))) {
              return false;
            }
          }
          return true;
        });
      }
      for (Future<Boolean> result : pool.invokeAll(tasks)) {
        assertTrue(result.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
