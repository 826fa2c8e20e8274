package io.tributary.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the native libraries that earlier JVMs copied into the temp directory and never deleted.
 *
 * <p>DuckDB's JDBC driver (61 MB), RocksDB (17 MB) and lz4-java copy their library to a new file
 * in {@code java.io.tmpdir} at every JVM start and delete it only at a normal exit, so every
 * Tributary killed hard (OOM killer, {@code kill -9}, a power cut) leaves one behind until the disk
 * fills. A copy is left over when no process maps it; one that is younger than {@link #MIN_AGE}
 * may belong to a JVM that has copied it but not loaded it yet, and is kept.
 */
final class LeftoverNativeLibraries {
  private static final Logger log = LoggerFactory.getLogger(LeftoverNativeLibraries.class);

  /** How long a starting JVM may take from copying its library to loading it, with room to spare. */
  static final Duration MIN_AGE = Duration.ofMinutes(10);

  /** The names those libraries give their copies (a random number each time). */
  private static final Pattern COPY = Pattern.compile(
      "(libduckdb_java|librocksdbjni|liblz4-java-)[0-9]+\\.(so|dylib|jnilib|dll)");

  /** What a sweep removed. */
  record Swept(int files, long bytes) {}

  private LeftoverNativeLibraries() {}

  /** Sweeps {@code java.io.tmpdir} on a daemon thread, so that a start does not wait for it. */
  static void sweepInBackground() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Thread t = new Thread(() -> {
      try {
        Swept swept = sweep(tmp, Instant.now(), mappedFiles());
        if (swept.files() > 0) {
          log.info("removed {} native library copies ({} MB) that ended processes left in {}",
              swept.files(), swept.bytes() >> 20, tmp);
        }
      } catch (RuntimeException e) {
        log.debug("could not sweep {} for left-over native libraries", tmp, e);
      }
    }, "tributary-tmp-sweep");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Deletes the copies in {@code dir} that are older than {@link #MIN_AGE} and not in
   * {@code inUse}. An empty {@code inUse} means "unknown": on systems without {@code /proc} nothing
   * is deleted, since a running process's copy cannot be told from a left-over one.
   */
  static Swept sweep(Path dir, Instant now, Optional<Set<Path>> inUse) {
    if (inUse.isEmpty()) {
      return new Swept(0, 0);
    }
    int files = 0;
    long bytes = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.toRealPath())) {
      for (Path library : entries) {
        if (!COPY.matcher(library.getFileName().toString()).matches()
            || inUse.get().contains(library)) {
          continue;
        }
        try {
          if (!Files.isRegularFile(library)
              || Files.getLastModifiedTime(library).toInstant().isAfter(now.minus(MIN_AGE))) {
            continue;
          }
          long size = Files.size(library);
          Files.delete(library);
          files++;
          bytes += size;
          // lz4-java marks its copy as in use with a lock file next to it.
          Files.deleteIfExists(library.resolveSibling(library.getFileName() + ".lck"));
        } catch (NoSuchFileException gone) {
          // another process swept it first
        } catch (IOException e) {
          // another user's file in a shared /tmp, or a read-only one: not ours to remove
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Swept(files, bytes);
  }

  /**
   * The files that processes visible to this one have mapped, from {@code /proc/<pid>/maps}.
   * Every JVM loads a copy of its own making, so the processes whose maps cannot be read (other
   * users') do not hold the copies this user may delete.
   */
  static Optional<Set<Path>> mappedFiles() {
    Path proc = Path.of("/proc");
    if (!Files.isReadable(proc.resolve("self/maps"))) {
      return Optional.empty();
    }
    Set<Path> mapped = new HashSet<>();
    try (Stream<Path> pids = Files.list(proc)) {
      for (Path pid : (Iterable<Path>) pids::iterator) {
        if (!pid.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        String maps;
        try {
          // Latin-1: any byte is a character, so an odd path cannot hide the lines after it.
          maps = new String(Files.readAllBytes(pid.resolve("maps")), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
          continue; // ended meanwhile, or another user's process
        }
        for (String line : maps.split("\n")) {
          int path = line.indexOf('/');
          if (path >= 0) {
            mapped.add(Path.of(line.substring(path).replace(" (deleted)", "")));
          }
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(mapped);
  }
}
