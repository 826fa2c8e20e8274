package io.tributary.warehouse;

import static io.tributary.warehouse.Segment.tracks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.ManualClock;
import io.tributary.core.RetriableException;
import io.tributary.core.SourcedRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warehouse file on a small tmpfs that fills up: loading fails (DuckDB may even invalidate the
 * whole database), nothing partial is visible, and once space returns the loader goes on from its
 * stored offsets on a reopened database, loading every row once. Needs root to mount (else skipped).
 */
class WarehouseDiskFullTest {
  @TempDir Path dir;

  @Test
  void loadingFailsCleanlyOnAFullDiskAndResumesOnceSpaceReturns() throws Exception {
    Path disk = mountSmallDisk("disk");
    try {
      DuckDbWarehouse warehouse = DuckDbWarehouse.open(disk.resolve("warehouse.duckdb"));
      ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
      EventLoader loader = new EventLoader(warehouse, new LoaderSettings("loader", "raw", 100_000,
          Duration.ofSeconds(5)), clock, EventLoader.RAW_SEGMENT);
      loader.open(List.of(0));
      loader.write(batch(0, 0, 100));
      assertThat(loader.flush(true)).containsExactly(Map.entry(0, 100L));

      Path filler = disk.resolve("filler");
      fill(filler);
      List<SourcedRecord> next = batch(0, 100, 2_000);
      loader.write(next);
      // A flush that fits in memory may still succeed; a checkpoint then needs the disk.
      RetriableException failure = null;
      for (int attempt = 0; attempt < 5 && failure == null; attempt++) {
        try {
          loader.flush(true);
          loader.write(batch(0, 100 + 2_000L * (attempt + 1), 2_000));
          checkpoint(warehouse);
        } catch (RetriableException e) {
          failure = e;
        } catch (SQLException e) {
          failure = new RetriableException("checkpoint failed", e);
        }
      }
      assertThat(failure).as("loading on a full disk fails").isNotNull();
      long visibleWhileFull = countOrMinusOne(warehouse);

      Files.delete(filler);
      // What the stage runner does after a failure: drop buffers, reopen, re-read from stored offsets.
      List<String> retryErrors = new ArrayList<>();
      long resumeAt = resume(loader, retryErrors);
      assertThat(resumeAt).as("resumed from stored offsets after %s", retryErrors).isGreaterThanOrEqualTo(100L);
      long end = 100 + 2_000L * 6;
      loader.write(batch(0, resumeAt, (int) (end - resumeAt)));
      assertThat(loader.flush(true)).containsExactly(Map.entry(0, end));

      try (Connection c = warehouse.newConnection()) {
        assertThat(Segment.count(c, "SELECT count(*) FROM events")).isEqualTo(end);
        assertThat(Segment.count(c, "SELECT count(DISTINCT event_id) FROM events")).isEqualTo(end);
      }
      System.out.printf("warehouse disk full: failed with '%s'; %d rows visible while full; "
          + "resumed at offset %d; database reopened %d times%n", failure.getMessage(),
          visibleWhileFull, resumeAt, warehouse.generation());
      loader.close();
      warehouse.close();
    } finally {
      run("umount", "-l", disk.toString());
    }
  }

  @Test
  void aDatabaseInvalidatedByAFailedCheckpointIsReopenedAndLoadingResumes() throws Exception {
    Path disk = mountSmallDisk("disk2");
    try {
      DuckDbWarehouse warehouse = DuckDbWarehouse.open(disk.resolve("warehouse.duckdb"));
      ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
      EventLoader loader = new EventLoader(warehouse, new LoaderSettings("loader", "raw", 100_000,
          Duration.ofSeconds(5)), clock, EventLoader.RAW_SEGMENT);
      loader.open(List.of(0));
      loader.write(batch(0, 0, 3_000)); // in the WAL only: below DuckDB's checkpoint threshold
      assertThat(loader.flush(true)).containsExactly(Map.entry(0, 3_000L));

      Path filler = disk.resolve("filler");
      fill(filler);
      assertThatThrownBy(() -> checkpoint(warehouse)).isInstanceOf(SQLException.class);
      loader.write(batch(0, 3_000, 10));
      assertThatThrownBy(() -> loader.flush(true)).isInstanceOf(RetriableException.class)
          .hasMessageContaining("invalidated");

      Files.delete(filler);
      List<String> retryErrors = new ArrayList<>();
      long resumeAt = resume(loader, retryErrors);
      assertThat(resumeAt).as("resumed after %s", retryErrors).isEqualTo(3_000L);
      assertThat(warehouse.generation()).as("reopened").isPositive();
      loader.write(batch(0, 3_000, 500));
      assertThat(loader.flush(true)).containsExactly(Map.entry(0, 3_500L));
      try (Connection c = warehouse.newConnection()) {
        assertThat(Segment.count(c, "SELECT count(DISTINCT event_id) FROM events")).isEqualTo(3_500);
        assertThat(Segment.count(c, "SELECT count(*) FROM events")).isEqualTo(3_500);
      }
      loader.close();
      warehouse.close();
    } finally {
      run("umount", "-l", disk.toString());
    }
  }

  /** A 24 MB tmpfs under the temp dir; the test is skipped where mounting is not allowed. */
  private Path mountSmallDisk(String name) throws Exception {
    Path disk = dir.resolve(name);
    Files.createDirectories(disk);
    String mountError = run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", disk.toString());
    Assumptions.assumeTrue(mountError == null,
        "skipped: cannot mount a size-limited tmpfs (needs root or CAP_SYS_ADMIN): " + mountError);
    return disk;
  }

  /**
   * What the stage runner does after a failure, up to five times: drop buffers, reopen, re-read
   * the stored offsets (the first retry after an invalidation reopens the database; the next one
   * uses it). Returns the offset to resume at partition 0, or -1; failures go to {@code errors}.
   */
  private static long resume(EventLoader loader, List<String> errors) {
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        loader.closePartitions(List.of(0));
        return loader.open(List.of(0)).get(0);
      } catch (RetriableException e) {
        errors.add(e.getMessage());
      }
    }
    return -1;
  }

  /** One event per record; the event id is the offset, so a row loaded twice would show. */
  private static List<SourcedRecord> batch(int partition, long from, int count) {
    List<SourcedRecord> records = new ArrayList<>(count);
    for (long o = from; o < from + count; o++) {
      records.add(tracks(partition, o, "e" + o + "-" + "x".repeat(600)));
    }
    return records;
  }

  private static void checkpoint(DuckDbWarehouse warehouse) throws SQLException {
    try (Connection c = warehouse.newConnection(); Statement st = c.createStatement()) {
      st.execute("CHECKPOINT");
    }
  }

  private static long countOrMinusOne(DuckDbWarehouse warehouse) {
    try (Connection c = warehouse.newConnection()) {
      return Segment.count(c, "SELECT count(*) FROM events");
    } catch (SQLException e) {
      return -1;
    }
  }

  private static void fill(Path filler) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException e) {
      // full
    }
    try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
      while (true) {
        out.write(0);
        out.flush();
      }
    } catch (IOException e) {
      // to the last byte
    }
  }

  private static String run(String... command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes()).strip();
      return p.waitFor() == 0 ? null : "'" + String.join(" ", command) + "' failed: " + output;
    } catch (IOException e) {
      return e.getMessage();
    }
  }
}
