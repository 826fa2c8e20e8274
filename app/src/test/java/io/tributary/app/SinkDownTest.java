package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under load, the warehouse table and the lake directory become unwritable for a while (the table
 * is renamed away; the lake directory is replaced by a plain file). Collection must go on, the
 * loader's and archiver's growing lag must show on {@code /ready}, and once both are back every
 * acknowledged event is loaded once and archived once.
 */
class SinkDownTest {
  @TempDir Path dir;

  @Test
  void collectionGoesOnWhileTheWarehouseAndLakeAreDownAndEverythingLandsOnceAfter()
      throws Exception {
    int port = ChildTributary.freePort();
    Path config = TestTributary.writeConfig(dir, port, true);
    Path data = dir.resolve("data");
    Path lake = data.resolve("lake");
    Path lakeAway = data.resolve("lake-away");
    java.util.Set<String> acked;
    try (Tributary tributary = TestTributary.start(config);
        AckingLoad load = new AckingLoad(port, "down", 2, 50)) {
      await().atMost(60, TimeUnit.SECONDS).until(() -> load.acked().size() >= 2_000);
      await().atMost(30, TimeUnit.SECONDS).until(() -> Files.isDirectory(lake.resolve("raw")));

      try (Connection c = tributary.warehouseForTests().newConnection();
          Statement st = c.createStatement()) {
        st.execute("ALTER TABLE events RENAME TO events_away");
      }
      Files.move(lake, lakeAway);
      Files.writeString(lake, "not a directory");

      int ackedAtOutage = load.acked().size();
      await().atMost(60, TimeUnit.SECONDS).until(() -> load.acked().size() >= ackedAtOutage + 3_000);
      JsonNode first = await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
          .until(() -> TestTributary.readyChecks(port), c -> !c.get("loader").get("ready").asBoolean()
              && !c.get("archiver-raw").get("ready").asBoolean());
      assertThat(first.get("loader").get("detail").asText()).contains("failing and retrying", "events");
      long loaderLag = TestTributary.stageLag(first.get("loader"));
      await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
          .until(() -> TestTributary.stageLag(port, "loader") > loaderLag + 10);
      JsonNode down = TestTributary.readyChecks(port);
      assertThat(down.get("archiver-raw").get("detail").asText()).contains("failing");
      assertThat(down.get("raw-topic").get("ready").asBoolean())
          .as("collection goes on").isTrue();
      System.out.printf("sinks down: %s; /ready %s%n", load.summary(), down);

      Files.delete(lake);
      Files.move(lakeAway, lake);
      try (Connection c = tributary.warehouseForTests().newConnection();
          Statement st = c.createStatement()) {
        st.execute("ALTER TABLE events_away RENAME TO events");
      }
      await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
          .until(() -> status(port, "/ready") == 200);
      int ackedAtRecovery = load.acked().size();
      await().atMost(60, TimeUnit.SECONDS).until(() -> load.acked().size() >= ackedAtRecovery + 1_000);
      load.close();
      await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
          .until(() -> TestTributary.count(port, "select count(*) from events") >= load.acked().size());
      System.out.printf("recovered: %s%n", load.summary());
      acked = load.acked();
    }

    // Closed: the last lake files are published. Check every acknowledged event, once.
    StoredEvents stored = StoredEvents.read(data);
    assertThat(stored.notLoaded(acked)).as("acknowledged but not in events").isEmpty();
    assertThat(stored.notArchived(acked)).as("acknowledged but not in the raw lake").isEmpty();
    assertThat(stored.eventRows()).as("rows == distinct event ids").isEqualTo(stored.eventIds().size());
    assertThat(stored.lakeDuplicateRawIds()).as("raw records archived twice").isZero();
    assertThat(Files.exists(lakeAway)).isFalse();
  }

  private static int status(int port, String path) throws Exception {
    return TestTributary.HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }
}
