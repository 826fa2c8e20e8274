package io.tributary.app;

import static io.tributary.app.TestTributary.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restart on the same data dir keeps generated keys, data and offsets; nothing loads twice. */
class RestartTest {
  @TempDir Path dir;

  @Test
  void restartKeepsKeysDataAndOffsets() throws Exception {
    Path config = TestTributary.writeConfig(dir, 0, false);
    String fastFlush = Files.readString(config);
    // Only a graceful stop can publish the first instance's lake files: its timer never fires.
    Files.writeString(config, fastFlush.replace("flush_seconds: 1", "flush_seconds: 3600"));
    Path credentialsFile = dir.resolve("data/credentials.json");
    String writeKey;
    String token;
    List<String> lakeFiles;
    try (Tributary first = TestTributary.start(config)) {
      Credentials generated = Credentials.read(credentialsFile);
      writeKey = generated.sources().get(0).writeKey();
      token = generated.adminToken();
      for (int i = 0; i < 10; i++) {
        assertThat(TestTributary.post(first.port(), "/v1/track", writeKey,
            "{\"userId\":\"u\",\"event\":\"Before\",\"messageId\":\"before-" + i + "\"}").statusCode())
            .isEqualTo(200);
      }
      await().atMost(30, TimeUnit.SECONDS).until(() -> first.loadedEvents() == 10);
      // The archiver consumes on its own; stop once all 10 sit read but unpublished in its buffer.
      await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
          .until(() -> TestTributary.readyChecks(first.port()).get("archiver-raw").get("detail")
              .asText().contains("lag 10 (0 not yet read)"));
      assertThat(lakeFiles(dir.resolve("data/lake/raw"))).as("nothing published before the stop")
          .isEmpty();
    }
    lakeFiles = lakeFiles(dir.resolve("data/lake/raw"));
    assertThat(lakeFiles).as("graceful stop publishes the buffered lake files").isNotEmpty();

    Files.writeString(config, fastFlush);
    try (Tributary second = TestTributary.start(config)) {
      assertThat(Credentials.read(credentialsFile)).isEqualTo(new Credentials(token,
          List.of(new TributaryConfig.Source("default", writeKey))));
      int port = second.port();
      assertThat(TestTributary.query(port, token, "select count(*) from events").statusCode())
          .as("the stored admin token still works").isEqualTo(200);
      assertThat(TestTributary.post(port, "/v1/track", writeKey,
          "{\"userId\":\"u\",\"event\":\"After\",\"messageId\":\"after-0\"}").statusCode())
          .as("the stored write key still works").isEqualTo(200);
      await().atMost(30, TimeUnit.SECONDS).until(() -> second.loadedEvents() == 1);
      // Give the loader time to (wrongly) re-read old offsets; it must load only the new event.
      await().pollDelay(Duration.ofSeconds(2)).atMost(10, TimeUnit.SECONDS).until(() -> true);
      assertThat(second.loadedEvents()).isEqualTo(1);
      assertThat(count(port, token, "select count(*) from events")).isEqualTo(11);
      assertThat(count(port, token, "select sum(next_offset) from _tributary_offsets"))
          .as("stored offsets cover exactly the 11 raw records").isEqualTo(11);
      await().atMost(30, TimeUnit.SECONDS)
          .until(() -> lakeFiles(dir.resolve("data/lake/raw")).size() > lakeFiles.size());
    }
    List<String> after = lakeFiles(dir.resolve("data/lake/raw"));
    assertThat(after).containsAll(lakeFiles).hasSize(lakeFiles.size() + 1);
  }

  private static List<String> lakeFiles(Path lake) throws IOException {
    if (!Files.isDirectory(lake)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(lake)) {
      return files.filter(p -> p.toString().endsWith(".ndjson.gz"))
          .map(p -> lake.relativize(p).toString()).sorted().toList();
    }
  }
}
