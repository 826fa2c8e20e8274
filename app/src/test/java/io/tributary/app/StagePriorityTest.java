package io.tributary.app;

import static io.tributary.app.TestTributary.WRITE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tributary.kafka.ThreadNice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the collector in the process, the stages' threads run below its CPU priority (Linux). */
class StagePriorityTest {
  @TempDir Path dir;

  @Test
  void theStagesYieldTheCpuToTheCollectorByDefault() throws Exception {
    assumeTrue(ThreadNice.currentNice().isPresent(), "Linux only");
    int base = ThreadNice.currentNice().getAsInt();
    assumeTrue(base <= 9, "already at nice " + base);
    Path config = TestTributary.writeConfig(dir, dir.resolve("data"), 0, true, "");
    try (Tributary tributary = TestTributary.start(config)) {
      int port = tributary.port();
      assertThat(TestTributary.post(port, "/v1/track", WRITE_KEY,
          "{\"type\":\"track\",\"event\":\"T\",\"userId\":\"u1\"}").statusCode()).isEqualTo(200);
      await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
          .until(() -> TestTributary.count(port, "select count(*) from events") == 1);

      // Linux keeps the first 15 characters of a thread's name.
      Map<String, Set<Integer>> nice = threadNiceByName();
      for (String stage : new String[] {"tributary-enric", "tributary-loade", "tributary-bad-l"}) {
        assertThat(nice.get(stage)).as(stage).containsExactly(base + 5);
      }
      // The archivers are not on the way to `events`: they yield more.
      assertThat(nice.get("tributary-archi")).as("archivers").containsExactly(base + 10);
      assertThat(nice.get("tributary-api")).as("the API workers").containsExactly(base);
      assertThat(nice.get("multiThreadIoEv")).as("the collector's event loops").contains(base);
    }
  }

  /** The nice values of this process's threads, by (shortened) name. */
  private static Map<String, Set<Integer>> threadNiceByName() throws IOException {
    Map<String, Set<Integer>> out = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        out.computeIfAbsent(name, n -> new HashSet<>()).add(Integer.parseInt(fields[19 - 3]));
      }
    }
    return out;
  }
}
