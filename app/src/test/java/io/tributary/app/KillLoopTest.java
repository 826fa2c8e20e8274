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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tributary is killed with SIGKILL at random moments, {@value #DEFAULT_KILLS} times in a row (more
 * with {@code -Dtributary.test.kills=N}), each time under load and some times while it is still
 * starting (the Iceberg archiver commits every second, so kills also land between its write and its
 * commit). After a last clean run, every acknowledged event is in {@code events} exactly once and
 * in the raw lake and the Iceberg table, no raw record was archived twice, and no enriched-topic
 * offset was committed to Iceberg twice or skipped.
 */
class KillLoopTest {
  private static final int DEFAULT_KILLS = 20;
  private static final int KILLS = Integer.getInteger("tributary.test.kills", DEFAULT_KILLS);

  @TempDir Path dir;

  @Test
  void noAcknowledgedEventIsLostOrDuplicatedAcrossRepeatedKills() throws Exception {
    int port = ChildTributary.freePort();
    Path config = TestTributary.writeConfig(dir, port, true);
    // The Iceberg archiver commits every second, so kills also land between its write and commit.
    String killed = Files.readString(config).replace("  flush_seconds: 1\n",
        "  flush_seconds: 1\n  iceberg:\n    commit_seconds: 1\n");
    Files.writeString(config, killed);
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Set<String> acked = new HashSet<>();
    int roundsWithAcks = 0;
    for (int round = 0; round < KILLS; round++) {
      Path log = dir.resolve("run-" + round + ".log");
      if (round % 5 == 4) {
        // Killed while starting: the broker, stages or collector may be half up.
        Process starting = ChildTributary.launch(config, log);
        Thread.sleep(300 + random.nextInt(2500));
        starting.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        continue;
      }
      ChildTributary child = ChildTributary.start(config, port, log);
      AckingLoad load = new AckingLoad(port, "r" + round, 3, 100);
      // The random moment of the kill; every fifth round runs long enough for Iceberg commits.
      Thread.sleep(round % 5 == 2 ? 2500 + random.nextInt(2500) : 200 + random.nextInt(1800));
      child.kill();
      load.close();
      acked.addAll(load.acked());
      roundsWithAcks += load.acked().isEmpty() ? 0 : 1;
      System.out.printf("kill loop round %d: %s%n", round, load.summary());
    }

    // The last run commits its Iceberg batch only when it stops: a graceful stop must commit.
    Files.writeString(config, killed.replace("commit_seconds: 1", "commit_seconds: 3600"));
    ChildTributary last = ChildTributary.start(config, port, dir.resolve("run-last.log"));
    await().atMost(180, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> TestTributary.count(port, "select count(*) from events") >= acked.size()
            && TestTributary.readyChecks(port).get("archiver-enriched").get("detail").asText()
                .contains("(0 not yet read)"));
    last.stop();
    IcebergContents lake = IcebergContents.read(ConfigLoader.load(config, Map.of(), Map.of()));

    StoredEvents stored = StoredEvents.read(dir.resolve("data"));
    System.out.printf("kill loop (seed %d): %d kills, %d events acknowledged, %d rows loaded, "
        + "%d raw records archived, %d Iceberg rows in %d snapshots%n", seed, KILLS, acked.size(),
        stored.eventRows(), stored.lakeRawRecords(), lake.rows(), lake.snapshots());
    assertThat(roundsWithAcks).as("rounds that acknowledged events").isGreaterThanOrEqualTo(KILLS / 2);
    assertThat(stored.notLoaded(acked)).as("acknowledged but not in events").isEmpty();
    assertThat(stored.eventRows()).as("rows == distinct event ids").isEqualTo(stored.eventIds().size());
    assertThat(stored.notArchived(acked)).as("acknowledged but not in the raw lake").isEmpty();
    assertThat(stored.lakeDuplicateRawIds()).as("raw records archived twice").isZero();
    assertThat(lake.duplicateOffsets()).as("enriched offsets committed to Iceberg twice").isZero();
    assertThat(lake.gaps()).as("enriched offsets never committed to Iceberg").isEmpty();
    assertThat(lake.missing(acked)).as("acknowledged but not in the Iceberg table").isEmpty();
    assertThat(lake.eventIds()).as("Iceberg holds the events of the warehouse")
        .isEqualTo(stored.eventIds());
  }
}
