package io.pekkube.node.volumes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a volume's files the way the kubelet's AtomicWriter does, so a reader never sees half an
 * update: the files go into a fresh hidden directory {@code ..<timestamp>}, the symlink
 * {@code ..data} is swapped to it by one rename, and each visible top-level name is a symlink
 * {@code name -> ..data/name}. The previous hidden directory is removed after the swap.
 */
final class AtomicWriter {
  static final String DATA = "..data";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss.");

  /** One file of the payload: its bytes and its permission bits. */
  record FileContent(byte[] data, int mode) {
    @Override
    public boolean equals(Object o) {
      return o instanceof FileContent f && f.mode == mode && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(data) + mode;
    }
  }

  private AtomicWriter() {}

  /**
   * Makes {@code dir} show exactly {@code payload} (relative path → content). Returns whether anything
   * changed (an identical payload is not rewritten).
   */
  static boolean write(Path dir, Map<String, FileContent> payload) throws IOException {
    Files.createDirectories(dir);
    Path data = dir.resolve(DATA);
    Path old = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
    if (old != null && payload.equals(read(old))) {
      return false;
    }
    Path fresh = Files.createTempDirectory(dir, ".." + STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)));
    Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (Map.Entry<String, FileContent> file : payload.entrySet()) {
      Path target = fresh.resolve(file.getKey()).normalize();
      if (!target.startsWith(fresh) || target.equals(fresh)) {
        throw new IOException("invalid path in volume payload: " + file.getKey());
      }
      Files.createDirectories(target.getParent());
      Files.write(target, file.getValue().data());
      Files.setPosixFilePermissions(target, permissions(file.getValue().mode()));
    }
    Path swap = dir.resolve(DATA + "_tmp");
    Files.deleteIfExists(swap);
    Files.createSymbolicLink(swap, fresh.getFileName());
    Files.move(swap, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

    Set<String> visible = new HashSet<>();
    payload.keySet().forEach(p -> visible.add(Path.of(p).getName(0).toString()));
    for (String name : visible) {
      Path link = dir.resolve(name);
      if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, Path.of(DATA, name));
      }
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        if (!name.startsWith("..") && !visible.contains(name) && Files.isSymbolicLink(entry)) {
          Files.delete(entry);
        }
      }
    }
    if (old != null && !old.equals(fresh)) {
      deleteTree(old);
    }
    return true;
  }

  /** The payload currently visible through {@code ..data}'s target. */
  private static Map<String, FileContent> read(Path dir) throws IOException {
    Map<String, FileContent> files = new java.util.HashMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString(), new FileContent(Files.readAllBytes(p), mode(p)));
      }
    }
    return files;
  }

  private static int mode(Path p) throws IOException {
    int mode = 0;
    for (PosixFilePermission perm : Files.getPosixFilePermissions(p)) {
      mode |= 1 << (8 - perm.ordinal());
    }
    return mode;
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> perms = new HashSet<>();
    for (PosixFilePermission perm : PosixFilePermission.values()) {
      if ((mode & (1 << (8 - perm.ordinal()))) != 0) {
        perms.add(perm);
      }
    }
    return perms;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
