package io.pekkube.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamedPipesTest {
  @TempDir
  Path dir;

  @Test
  void aPipeMadeForTheOwnerCarriesWhatIsWrittenToIt() throws Exception {
    Path fifo = dir.resolve("stdout");
    NamedPipes.create(fifo);

    assertTrue(Files.readAttributes(fifo, BasicFileAttributes.class).isOther(), "neither a file nor a directory");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fifo)));
    CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
      try {
        return Files.readString(fifo);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    Files.writeString(fifo, "through the pipe\n");
    assertEquals("through the pipe\n", read.get(5, TimeUnit.SECONDS));
  }

  @Test
  void aPipeThatCannotBeMadeIsAnErrorThatSaysWhy() {
    Path fifo = dir.resolve("stdout");
    assertThrows(IOException.class, () -> NamedPipes.create(dir.resolve("missing").resolve("stdout")));
    IOException exists = assertThrows(IOException.class, () -> {
      NamedPipes.create(fifo);
      NamedPipes.create(fifo);
    });
    assertEquals("mkfifo " + fifo + " failed: it exists", exists.getMessage());
  }
}
