package io.pekkube.persistence.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pekkube.persistence.serialization.SampleMessages.Circle;
import io.pekkube.persistence.serialization.SampleMessages.Square;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KryoRegistryTest {

  @Test
  void registrarsListedInConfigAreInstantiatedAndApplied() {
    KryoRegistry registry = KryoRegistry.fromConfig(
        KryoSerializerTest.CONFIG.withFallback(ConfigFactory.load()));
    assertEquals(12, registry.entries().size());
    assertEquals(SampleRegistrar.class.getName(), registry.entries().get(0).registrar());
  }

  @Test
  void referenceConfigListsNoRegistrars() {
    assertEquals(List.of(), KryoSettings.from(ConfigFactory.load()).registrars());
  }

  @Test
  void duplicateIdFailsNamingBothClasses() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KryoRegistry.of(
        List.of(r -> r.register(Circle.class, 150), r -> r.register(Square.class, 150))));
    assertTrue(e.getMessage().contains("id 150"), e.getMessage());
    assertTrue(e.getMessage().contains(Circle.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains(Square.class.getName()), e.getMessage());
  }

  @Test
  void classRegisteredTwiceFails() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KryoRegistry.of(
        List.of(r -> r.register(Circle.class, 150), r -> r.register(Circle.class, 151))));
    assertTrue(e.getMessage().contains(Circle.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains("already registered"), e.getMessage());
  }

  @Test
  void idsBelowTheApplicationRangeAreReserved() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KryoRegistry.of(List.of(r -> r.register(Circle.class, 99))));
    assertTrue(e.getMessage().contains("reserved"), e.getMessage());
  }

  @Test
  void builtInClassCannotBeRegisteredAgain() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KryoRegistry.of(List.of(r -> r.register(ArrayList.class, 200))));
    assertTrue(e.getMessage().contains("built-in"), e.getMessage());
  }

  @Test
  void unknownRegistrarClassFailsNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KryoRegistry.fromSettings(new KryoSettings(List.of("com.example.Missing"))));
    assertTrue(e.getMessage().contains("com.example.Missing"), e.getMessage());
  }

  @Test
  void classThatIsNotARegistrarFailsNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KryoRegistry.fromSettings(new KryoSettings(List.of(String.class.getName()))));
    assertTrue(e.getMessage().contains("does not implement"), e.getMessage());
  }
}
