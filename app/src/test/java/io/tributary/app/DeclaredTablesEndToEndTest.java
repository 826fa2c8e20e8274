package io.tributary.app;

import static io.tributary.app.TestTributary.ADMIN_TOKEN;
import static io.tributary.app.TestTributary.WRITE_KEY;
import static io.tributary.app.TestTributary.count;
import static io.tributary.app.TestTributary.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A declared table filled by the live pipeline, then rebuilt from the raw lake after its mapping
 * changed (config edit and restart), through the {@code replay lake} command, while events keep
 * coming: the same rows, the new column filled for old events, nothing lost or twice.
 */
class DeclaredTablesEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String V1 = """
      warehouse:
        batch_max_millis: 200
        tables:
          - name: checkouts
            filter: {event: Order Completed}
            columns:
              - {name: order_id, path: "$.properties.order_id", type: varchar}
              - {name: revenue, path: "$.properties.revenue", type: double}
      """;
  /** Changed: revenue from another path, and a new column. */
  private static final String V2 = """
      warehouse:
        batch_max_millis: 200
        tables:
          - name: checkouts
            filter: {event: Order Completed}
            columns:
              - {name: order_id, path: "$.properties.order_id", type: varchar}
              - {name: revenue, path: "$.properties.total", type: double}
              - {name: coupon, path: "$.properties.coupon", type: varchar}
      """;

  @TempDir Path dir;

  private static String order(int i, String amount) {
    return "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"u1\",\"messageId\":\"o"
        + i + "\",\"properties\":{\"order_id\":\"A-" + i + "\",\"revenue\":" + amount
        + ",\"total\":" + amount + ",\"coupon\":\"C" + i + "\"}}";
  }

  private static void send(int port, String... messages) {
    String body = "{\"batch\":[" + String.join(",", messages) + "]}";
    assertThat(TestTributary.post(port, "/v1/batch", WRITE_KEY, body).statusCode()).isEqualTo(200);
  }

  /** Runs the CLI as a user would; returns the exit code, and what it printed in {@code out}. */
  private static int cli(int port, StringWriter out, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", "http://127.0.0.1:" + port, "--token", ADMIN_TOKEN));
    var cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    return cli.execute(all.toArray(String[]::new));
  }

  @Test
  void aChangedMappingIsRebuiltFromTheRawLakeWithTheSameRows() throws Exception {
    Path data = dir.resolve("data");
    Path config = TestTributary.writeConfig(dir, data, 0, true, "");
    // writeConfig has a warehouse section of its own: put the tables into it.
    java.nio.file.Files.writeString(config, java.nio.file.Files.readString(config)
        .replace("warehouse:\n  batch_max_millis: 200\n", V1));
    List<Long> before;
    int firstPort;
    try (Tributary t = TestTributary.start(config)) {
      int port = t.port();
      firstPort = port;
      StringWriter out = new StringWriter();
      assertThat(cli(port, out, "replay", "lake", "--tables", "checkouts")).isEqualTo(2);
      assertThat(out.toString()).contains("holds no files under raw/");

      send(port, order(1, "10.5"), order(2, "20"), order(3, "\"lots\""),
          "{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u1\",\"messageId\":\"s1\"}");
      send(port, order(4, "40"), order(5, "50"));
      await().atMost(WAIT).ignoreExceptions()
          .until(() -> count(port, "select count(*) from checkouts") == 5);
      assertThat(rows(port, "select event_id, order_id, revenue from checkouts order by 1")
          .toString()).isEqualTo("[[\"o1\",\"A-1\",10.5],[\"o2\",\"A-2\",20.0],"
              + "[\"o3\",\"A-3\",null],[\"o4\",\"A-4\",40.0],[\"o5\",\"A-5\",50.0]]");
      assertThat(rows(port, "select column_name, value, reason from discards"
          + " where table_name = 'checkouts'").toString()).isEqualTo(
              "[[\"revenue\",\"\\\"lots\\\"\",\"a string does not fit column type DOUBLE\"]]");
      assertThat(count(port, "select count(*) from events")).isEqualTo(6);
      before = List.of(count(port, "select count(*) from checkouts"),
          count(port, "select count(*) from events"));

      out = new StringWriter();
      assertThat(cli(port, out, "replay", "lake", "--tables", "nope")).isEqualTo(2);
      assertThat(out.toString()).contains("'nope' is not a declared table");
    }

    StringWriter down = new StringWriter();
    assertThat(cli(firstPort, down, "replay", "lake", "--tables", "checkouts")).isEqualTo(2);
    assertThat(down.toString()).contains("no server at").contains("needs a running Tributary");

    java.nio.file.Files.writeString(config, java.nio.file.Files.readString(config)
        .replace(V1, V2));
    try (Tributary t = TestTributary.start(config)) {
      int port = t.port();
      StringWriter out = new StringWriter();
      CompletableFuture<Integer> replay =
          CompletableFuture.supplyAsync(() -> cli(port, out, "replay", "lake", "--tables",
              "checkouts"));
      // Events keep coming while the table is rebuilt.
      send(port, order(6, "60"), order(7, "70"));
      send(port, order(8, "80"));
      assertThat(replay.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as(out.toString()).isEqualTo(0);
      assertThat(out.toString()).contains("Rebuilding checkouts from the raw lake")
          .containsPattern("files \\d+/\\d+, records \\d+/\\d+, rows written \\d+")
          .contains("checkouts: ").contains("Done.");

      await().atMost(WAIT).ignoreExceptions()
          .until(() -> count(port, "select count(*) from checkouts") == 8);
      assertThat(count(port, "select count(*) from checkouts where event_id in"
          + " ('o1','o2','o3','o4','o5')")).isEqualTo(before.get(0));
      assertThat(count(port, "select count(distinct event_id) from checkouts")).isEqualTo(8);
      assertThat(count(port, "select count(*) from events")).isEqualTo(before.get(1) + 3);
      assertThat(rows(port, "select event_id, revenue, coupon from checkouts order by 1")
          .toString()).isEqualTo("[[\"o1\",10.5,\"C1\"],[\"o2\",20.0,\"C2\"],[\"o3\",null,\"C3\"],"
              + "[\"o4\",40.0,\"C4\"],[\"o5\",50.0,\"C5\"],[\"o6\",60.0,\"C6\"],"
              + "[\"o7\",70.0,\"C7\"],[\"o8\",80.0,\"C8\"]]");
      assertThat(count(port, "select count(*) from discards where table_name = 'checkouts'"))
          .isEqualTo(1);
    }
  }
}
