package io.pekkube.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file in the data directory saying this member has shared a cluster with another of its seeds.
 * A member started from such a directory is rejoining: it must not serve alone (IslandGuard).
 * Delete the file to let a member that is the last survivor of its cluster form a new one alone.
 */
final class MembershipRecord {
  static final String FILE = "cluster-member";
  private final Path file;
  private final boolean heldAtStart;
  private volatile boolean written;

  MembershipRecord(Path dataDir) {
    this.file = dataDir.resolve(FILE);
    this.heldAtStart = Files.exists(file);
    this.written = heldAtStart;
  }

  /** Whether the data directory already held the record when this JVM started. */
  boolean heldAtStart() {
    return heldAtStart;
  }

  void write() {
    if (written) {
      return;
    }
    try {
      Files.writeString(file, "this member has shared a cluster with another of its seeds\n");
      written = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
