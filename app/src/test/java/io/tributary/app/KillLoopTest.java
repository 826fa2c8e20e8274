package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tributary is killed with SIGKILL at random moments, {@value #DEFAULT_KILLS} times in a row (more
 * with {@code -Dtributary.test.kills=N}), each time under load and some times while it is still
 * starting. After a last clean run, every acknowledged event is in {@code events} exactly once and
 * in the raw lake, and no raw record was archived twice.
 */
class KillLoopTest {
  private static final int DEFAULT_KILLS = 20;
  private static final int KILLS = Integer.getInteger("tributary.test.kills", DEFAULT_KILLS);

  @TempDir Path dir;

  @Test
  void noAcknowledgedEventIsLostOrDuplicatedAcrossRepeatedKills() throws Exception {
    int port = ChildTributary.freePort();
    Path config = TestTributary.writeConfig(dir, port, true);
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
      Thread.sleep(200 + random.nextInt(1800)); // the random moment of the kill
      child.kill();
      load.close();
      acked.addAll(load.acked());
      roundsWithAcks += load.acked().isEmpty() ? 0 : 1;
      System.out.printf("kill loop round %d: %s%n", round, load.summary());
    }

    ChildTributary last = ChildTributary.start(config, port, dir.resolve("run-last.log"));
    await().atMost(180, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
        .until(() -> TestTributary.count(port, "select count(*) from events") >= acked.size());
    last.stop();

    StoredEvents stored = StoredEvents.read(dir.resolve("data"));
    System.out.printf("kill loop (seed %d): %d kills, %d events acknowledged, %d rows loaded, "
        + "%d raw records archived%n", seed, KILLS, acked.size(), stored.eventRows(),
        stored.lakeRawRecords());
    assertThat(roundsWithAcks).as("rounds that acknowledged events").isGreaterThanOrEqualTo(KILLS / 2);
    assertThat(stored.notLoaded(acked)).as("acknowledged but not in events").isEmpty();
    assertThat(stored.eventRows()).as("rows == distinct event ids").isEqualTo(stored.eventIds().size());
    assertThat(stored.notArchived(acked)).as("acknowledged but not in the raw lake").isEmpty();
    assertThat(stored.lakeDuplicateRawIds()).as("raw records archived twice").isZero();
  }
}
