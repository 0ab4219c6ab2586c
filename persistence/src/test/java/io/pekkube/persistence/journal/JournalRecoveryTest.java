package io.pekkube.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.Serializable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the store configurations: events persisted by one ActorSystem are recovered by the next, on the
 * embedded H2 store and on a real Cassandra, and land in the tables the schema files create.
 */
@ExtendWith(RealCassandra.class)
class JournalRecoveryTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  /** Java serialization only here: the project's Kryo serializer is not part of this module's tests yet. */
  private static final Config TEST_CONFIG = ConfigFactory.parseString("""
      pekko.actor.allow-java-serialization = on
      pekko.actor.warn-about-java-serializer-usage = off
      pekko.loglevel = WARNING
      pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
      pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
      pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
      """);

  @Test
  void eventsPersistedBeforeShutdownAreRecoveredOnEmbeddedH2(@TempDir Path dataDir) throws SQLException {
    StoreSettings store = StoreSettings.parse("embedded", dataDir);
    store.prepareSchema();
    String id = "notebook-" + UUID.randomUUID();

    List<String> recovered = persistThenRecover(store, id, List.of("a", "b", "c"));

    assertEquals(List.of("a", "b", "c"), recovered);
    assertEquals(3, h2EventCount(store, id));
  }

  @Test
  void eventsPersistedBeforeShutdownAreRecoveredOnCassandra(@TempDir Path dataDir) {
    StoreSettings store = StoreSettings.parse(RealCassandra.storeUri(), dataDir);
    store.prepareSchema();
    String id = "notebook-" + UUID.randomUUID();

    List<String> recovered = persistThenRecover(store, id, List.of("a", "b", "c"));

    assertEquals(List.of("a", "b", "c"), recovered);
    try (CqlSession session = RealCassandra.instance().openSession()) {
      long rows = session.execute("SELECT count(*) FROM pekkube_journal.messages"
          + " WHERE persistence_id = ? AND partition_nr = 0", id).one().getLong(0);
      assertEquals(3, rows);
    }
  }

  private static List<String> persistThenRecover(StoreSettings store, String id, List<String> notes) {
    Config config = store.toConfig().withFallback(TEST_CONFIG).withFallback(ConfigFactory.load());

    ActorTestKit writer = ActorTestKit.create("journal-writer", config);
    try {
      ActorRef<Notebook.Command> notebook = writer.spawn(Notebook.create(id));
      TestProbe<Done> acks = writer.createTestProbe();
      for (String note : notes) {
        notebook.tell(new Notebook.Write(note, acks.getRef()));
        acks.expectMessage(TIMEOUT, Done.getInstance());
      }
    } finally {
      writer.shutdownTestKit();
    }

    ActorTestKit reader = ActorTestKit.create("journal-reader", config);
    try {
      ActorRef<Notebook.Command> notebook = reader.spawn(Notebook.create(id));
      TestProbe<List<String>> contents = reader.createTestProbe();
      notebook.tell(new Notebook.Read(contents.getRef()));
      return contents.receiveMessage(TIMEOUT);
    } finally {
      reader.shutdownTestKit();
    }
  }

  private static long h2EventCount(StoreSettings store, String id) throws SQLException {
    Config config = store.toConfig();
    try (Connection connection = DriverManager.getConnection(
            config.getString("pekko-persistence-jdbc.shared-databases.slick.db.url"), "sa", "");
         PreparedStatement count = connection.prepareStatement(
             "SELECT COUNT(*) FROM PUBLIC.\"event_journal\" WHERE \"persistence_id\" = ?")) {
      count.setString(1, id);
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The smallest event-sourced entity: remembers notes, answers with all of them. */
  static final class Notebook
      extends EventSourcedBehaviorWithEnforcedReplies<Notebook.Command, Notebook.Written, List<String>> {

    sealed interface Command permits Write, Read {}

    record Write(String text, ActorRef<Done> replyTo) implements Command {}

    record Read(ActorRef<List<String>> replyTo) implements Command {}

    record Written(String text) implements Serializable {}

    static Notebook create(String id) {
      return new Notebook(PersistenceId.ofUniqueId(id));
    }

    private Notebook(PersistenceId id) {
      super(id);
    }

    @Override
    public List<String> emptyState() {
      return List.of();
    }

    @Override
    public CommandHandlerWithReply<Command, Written, List<String>> commandHandler() {
      return newCommandHandlerWithReplyBuilder().forAnyState()
          .onCommand(Write.class, (state, write) ->
              Effect().persist(new Written(write.text())).thenReply(write.replyTo(), s -> Done.getInstance()))
          .onCommand(Read.class, (state, read) -> Effect().reply(read.replyTo(), state))
          .build();
    }

    @Override
    public EventHandler<List<String>, Written> eventHandler() {
      return newEventHandlerBuilder().forAnyState()
          .onEvent(Written.class, (state, written) -> {
            List<String> next = new ArrayList<>(state);
            next.add(written.text());
            return Collections.unmodifiableList(next);
          })
          .build();
    }
  }
}
