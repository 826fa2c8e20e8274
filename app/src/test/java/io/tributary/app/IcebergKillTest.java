package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tributary, committing to the Iceberg lake every second, is killed with SIGKILL at random moments
 * under load ({@value #DEFAULT_KILLS} times; {@code -Dtributary.test.icebergKills=N} for more), so
 * kills land between writing data files and committing them. After a last clean run the table holds
 * every offset of the enriched topic exactly once (no duplicate, no gap) and every acknowledged event.
 */
class IcebergKillTest {
  private static final int DEFAULT_KILLS = 5;
  private static final int KILLS = Integer.getInteger("tributary.test.icebergKills", DEFAULT_KILLS);

  @TempDir Path dir;

  @Test
  void noOffsetOfTheEnrichedTopicIsLostOrArchivedTwiceAcrossKills() throws Exception {
    int port = ChildTributary.freePort();
    Path config = IcebergLakeEndToEndTest.icebergConfig(dir, port);
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Set<String> acked = new HashSet<>();
    for (int round = 0; round < KILLS; round++) {
      ChildTributary child = ChildTributary.start(config, port, dir.resolve("run-" + round + ".log"));
      AckingLoad load = new AckingLoad(port, "r" + round, 2, 100);
      Thread.sleep(2000 + random.nextInt(3000)); // a commit every second: some kills hit one half-done
      child.kill();
      load.close();
      acked.addAll(load.acked());
      System.out.printf("iceberg kill round %d: %s%n", round, load.summary());
    }

    // The last run commits only when it stops (SIGTERM): the graceful stop's commit runs in a
    // shutdown hook, after Iceberg's own hook has shut its worker pool down.
    String killed = Files.readString(config);
    Files.writeString(config, killed.replace("commit_seconds: 1", "commit_seconds: 3600"));
    ChildTributary last = ChildTributary.start(config, port, dir.resolve("run-last.log"));
    await().atMost(180, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> TestTributary.count(port, "select count(*) from events") >= acked.size()
            && TestTributary.readyChecks(port).get("archiver-enriched").get("detail").asText()
                .contains("(0 not yet read)"));
    last.stop();
    Files.writeString(config, killed);

    IcebergContents lake = IcebergContents.read(ConfigLoader.load(config, Map.of(), Map.of()));
    System.out.printf("iceberg kill test (seed %d): %d kills, %d events acknowledged, %d rows in "
        + "%d live files, %d parquet files on disk, %d snapshots%n", seed, KILLS, acked.size(),
        lake.rows(), lake.liveFiles(), parquetFiles(dir.resolve("data/lake/enriched")),
        lake.snapshots());
    assertThat(lake.duplicateOffsets()).as("topic offsets archived twice").isZero();
    assertThat(lake.gaps()).as("partitions with offsets never archived").isEmpty();
    assertThat(lake.missing(acked)).as("acknowledged but not in the Iceberg table").isEmpty();
    assertThat(StoredEvents.read(dir.resolve("data")).eventIds())
        .as("the same events as the warehouse").isEqualTo(lake.eventIds());
  }

  private static long parquetFiles(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".parquet")).count();
    }
  }
}
