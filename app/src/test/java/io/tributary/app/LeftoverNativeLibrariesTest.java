package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.tributary.app.LeftoverNativeLibraries.Swept;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Native library copies left in the temp directory by JVMs killed hard are removed at start. */
class LeftoverNativeLibrariesTest {
  @TempDir Path dir;

  private final Instant now = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void removesOldCopiesNoProcessMapsAndKeepsEverythingElse() throws IOException {
    Path duckdb = copy("libduckdb_java1234567890123456789.so", 61, Duration.ofHours(2));
    Path rocksdb = copy("librocksdbjni987654321.so", 17, Duration.ofMinutes(11));
    Path lz4 = copy("liblz4-java-1763812345678901234.so", 1, Duration.ofDays(3));
    Path lz4Lock = copy("liblz4-java-1763812345678901234.so.lck", 0, Duration.ofDays(3));
    Path starting = copy("libduckdb_java555.so", 61, Duration.ofMinutes(9));
    Path running = copy("libduckdb_java777.so", 61, Duration.ofHours(5));
    Path notACopy = copy("libduckdb_java.so", 61, Duration.ofHours(5));
    Path unrelated = copy("report-2026.json", 1, Duration.ofHours(5));
    Path otherLibrary = copy("libsnappy123.so", 1, Duration.ofHours(5));

    Swept swept = LeftoverNativeLibraries.sweep(dir, now, Optional.of(Set.of(running.toRealPath())));

    assertThat(swept).isEqualTo(new Swept(3, (61 + 17 + 1) * 1024L));
    assertThat(duckdb).doesNotExist();
    assertThat(rocksdb).doesNotExist();
    assertThat(lz4).doesNotExist();
    assertThat(lz4Lock).as("lz4-java's lock file goes with its copy").doesNotExist();
    assertThat(starting).as("a JVM may have copied it and not loaded it yet").exists();
    assertThat(running).as("mapped by a live process").exists();
    assertThat(notACopy).exists();
    assertThat(unrelated).exists();
    assertThat(otherLibrary).exists();
  }

  @Test
  void removesNothingWhenItCannotTellWhichCopiesAreInUse() throws IOException {
    Path old = copy("libduckdb_java1.so", 1, Duration.ofDays(1));

    assertThat(LeftoverNativeLibraries.sweep(dir, now, Optional.empty())).isEqualTo(new Swept(0, 0));
    assertThat(old).exists();
  }

  @Test
  void aFileThisProcessMapsIsInUse() throws IOException {
    assumeThat(Path.of("/proc/self/maps")).as("Linux").exists();
    Path library = copy("libduckdb_java42.so", 8, Duration.ofDays(1));
    try (FileChannel channel = FileChannel.open(library, StandardOpenOption.READ)) {
      var mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, 8192);

      Set<Path> mapped = LeftoverNativeLibraries.mappedFiles().orElseThrow();
      assertThat(mapped).contains(library.toRealPath());
      assertThat(LeftoverNativeLibraries.sweep(dir, Instant.now(), Optional.of(mapped)).files())
          .isZero();
      assertThat(library).exists();
      assertThat(mapping.get(0)).isZero();
    }
  }

  /**
   * The real thing: a Tributary killed hard leaves its DuckDB copy behind, and the next start
   * removes it once it is old enough, while the running one's own copies stay.
   */
  @Test
  void theNextStartRemovesWhatAKilledTributaryLeft() throws Exception {
    assumeThat(Path.of("/proc/self/maps")).as("Linux").exists();
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    List<String> jvm = List.of("-Djava.io.tmpdir=" + tmp);
    int port = ChildTributary.freePort();
    Path config = TestTributary.writeConfig(dir, port, true);

    ChildTributary killed = ChildTributary.start(jvm, config, port, dir.resolve("first.log"));
    killed.kill();
    Set<String> left = copies(tmp);
    assertThat(left).as("what the killed JVM left").anyMatch(n -> n.startsWith("libduckdb_java"));
    for (String name : left) {
      Files.setLastModifiedTime(tmp.resolve(name),
          FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    }

    Path log = dir.resolve("second.log");
    ChildTributary second = ChildTributary.start(jvm, config, port, log);
    try {
      await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
          .until(() -> copies(tmp).stream().noneMatch(left::contains));
      assertThat(copies(tmp)).as("the running Tributary's own copies")
          .anyMatch(n -> n.startsWith("libduckdb_java"));
      await().atMost(10, TimeUnit.SECONDS)
          .until(() -> Files.readString(log).contains("native library copies"));
      assertThat(Files.readString(log)).contains("removed "
          + left.stream().filter(n -> n.endsWith(".so")).count() + " native library copies");
      assertThat(second.get("/health").statusCode()).isEqualTo(200);
    } finally {
      second.stop();
    }
  }

  private Path copy(String name, int kilobytes, Duration age) throws IOException {
    Path file = Files.write(dir.resolve(name), new byte[kilobytes * 1024]);
    Files.setLastModifiedTime(file, FileTime.from(now.minus(age)));
    return file;
  }

  private static Set<String> copies(Path tmp) throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      return files.map(f -> f.getFileName().toString())
          .filter(n -> n.matches("lib(duckdb_java|rocksdbjni|lz4-java-)[0-9]+\\.so(\\.lck)?"))
          .collect(Collectors.toSet());
    }
  }
}
