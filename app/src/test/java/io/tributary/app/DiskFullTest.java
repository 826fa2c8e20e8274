package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data dir lives on a small tmpfs the test mounts; under load, another file fills the disk to
 * the last byte. Tributary must keep running, answer 503 instead of acknowledging, say why on
 * {@code /ready}, and resume by itself when the file is deleted, with every acknowledged event
 * loaded once. Mounting needs root (or CAP_SYS_ADMIN): elsewhere that test is skipped, saying so,
 * and the second test (the free-space guard, no mount needed) still runs.
 */
class DiskFullTest {
  @TempDir Path dir;

  @Test
  void aFullDiskGets503sAndTributaryRecoversWithoutLosingAnAcknowledgedEvent() throws Exception {
    Path disk = dir.resolve("small-disk");
    Files.createDirectories(disk);
    String mountError = run("mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", disk.toString());
    Assumptions.assumeTrue(mountError == null,
        "skipped: cannot mount a size-limited tmpfs for the disk-full test (needs root or "
            + "CAP_SYS_ADMIN): " + mountError);
    ChildTributary child = null;
    try {
      int port = ChildTributary.freePort();
      Path data = disk.resolve("data");
      Path config = TestTributary.writeConfig(dir, data, port, true,
          "storage:\n  min_free_mb: 48\n");
      child = ChildTributary.start(config, port, dir.resolve("run.log"));
      // Throttled: the point is a disk filled by someone else, not by Tributary's own backlog.
      try (AckingLoad load = new AckingLoad(port, "disk", 2, 100, 20)) {
        await().atMost(60, TimeUnit.SECONDS).until(() -> load.acked().size() >= 2_000);

        Path filler = disk.resolve("filler");
        long filled = fillToTheLastByte(filler);
        long refusedBefore = load.status(503);
        await().atMost(60, TimeUnit.SECONDS).until(() -> load.status(503) >= refusedBefore + 20);
        String ready = child.get("/ready").body();
        assertThat(child.get("/ready").statusCode()).isEqualTo(503);
        assertThat(ready).contains("\"disk\":{\"ready\":false", "nearly full", "storage.min_free_mb");
        assertThat(load.last503Body()).contains("retry");
        assertThat(child.isAlive()).as("still running on a full disk").isTrue();
        System.out.printf("disk full: filled %d MB; %s%n", filled >> 20, load.summary());

        Files.delete(filler);
        int ackedWhenFreed = load.acked().size();
        ChildTributary running = child;
        try {
          await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
              .ignoreExceptions().until(() -> running.get("/ready").statusCode() == 200);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError("not ready after the disk was freed (log in "
              + "target/DiskFullTest-run.log): " + running.get("/ready").body(), e);
        }
        await().atMost(60, TimeUnit.SECONDS)
            .until(() -> load.acked().size() >= ackedWhenFreed + 2_000);
        load.close();
        System.out.printf("disk freed: %s%n", load.summary());

        await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
            .until(() -> TestTributary.count(port, "select count(*) from events")
                >= load.acked().size());
        child.stop();
        StoredEvents stored = StoredEvents.read(data);
        assertThat(stored.notLoaded(load.acked())).as("acknowledged but not in events").isEmpty();
        assertThat(stored.eventRows()).as("rows == distinct ids").isEqualTo(stored.eventIds().size());
        assertThat(stored.notArchived(load.acked())).as("acknowledged but not archived").isEmpty();
        assertThat(stored.lakeDuplicateRawIds()).as("raw records archived twice").isZero();
      }
    } finally {
      if (child != null && child.isAlive()) {
        child.kill();
      }
      Files.copy(dir.resolve("run.log"), Path.of("target", "DiskFullTest-run.log"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      run("umount", "-l", disk.toString());
    }
  }

  /**
   * Runs everywhere (no mount): the minimum free space is set just below what the disk has now, then
   * a large file takes the disk under it. The guard must refuse and pause, and resume once the file
   * is gone; nothing acknowledged may be lost. (The file system never really fills here.)
   */
  @Test
  void belowTheMinimumFreeSpaceTheCollectorRefusesAndResumesWhenSpaceReturns() throws Exception {
    long mb = 1024 * 1024;
    long freeMb = Files.getFileStore(dir).getUsableSpace() / mb;
    Assumptions.assumeTrue(freeMb > 3_000,
        "skipped: needs 3 GB free on the temp dir's file system, has " + freeMb + " MB");
    long minFreeMb = freeMb - 500; // Tributary's own writes during the test stay well below this
    int port = ChildTributary.freePort();
    Path config = TestTributary.writeConfig(dir, dir.resolve("data"), port, true,
        "storage:\n  min_free_mb: " + minFreeMb + "\n");
    ChildTributary child = ChildTributary.start(config, port, dir.resolve("run.log"));
    Path filler = dir.resolve("filler");
    try (AckingLoad load = new AckingLoad(port, "guard", 2, 100, 20)) {
      await().atMost(60, TimeUnit.SECONDS).until(() -> load.acked().size() >= 1_000);
      try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(filler.toFile(), "rw")) {
        byte[] chunk = new byte[1024 * 1024];
        for (int i = 0; i < 900; i++) {
          f.write(chunk); // real blocks, not a sparse file: free space must drop
        }
        f.getFD().sync();
      }
      long refusedBefore = load.status(503);
      await().atMost(60, TimeUnit.SECONDS).until(() -> load.status(503) >= refusedBefore + 10);
      assertThat(child.get("/ready").body()).contains("\"disk\":{\"ready\":false", "nearly full");

      Files.delete(filler);
      int ackedWhenFreed = load.acked().size();
      await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(() -> child.get("/ready").statusCode() == 200);
      await().atMost(60, TimeUnit.SECONDS).until(() -> load.acked().size() >= ackedWhenFreed + 1_000);
      load.close();
      await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
          .until(() -> TestTributary.count(port, "select count(*) from events") >= load.acked().size());
      child.stop();
      StoredEvents stored = StoredEvents.read(dir.resolve("data"));
      assertThat(stored.notLoaded(load.acked())).as("acknowledged but not in events").isEmpty();
      assertThat(stored.eventRows()).as("rows == distinct ids").isEqualTo(stored.eventIds().size());
      System.out.printf("disk guard: %s%n", load.summary());
    } finally {
      Files.deleteIfExists(filler);
      if (child.isAlive()) {
        child.kill();
      }
    }
  }

  /** Writes until the file system refuses; returns the bytes written. */
  private static long fillToTheLastByte(Path filler) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    long written = 0;
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
        written += chunk.length;
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left")) {
        throw e;
      }
    }
    // The last partial chunk: byte by byte to the very end.
    try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
      while (true) {
        out.write(0);
        out.flush();
        written++;
      }
    } catch (IOException e) {
      return written;
    }
  }

  /** Runs a command; null when it succeeded, else its output. */
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
