package io.tributary.app;

import static io.tributary.app.TestTributary.WRITE_KEY;
import static io.tributary.app.TestTributary.count;
import static io.tributary.app.TestTributary.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segment events checked against a tracking plan: planned and valid pass, the rest are bad rows. */
class TrackingPlanEndToEndTest {
  @TempDir Path dir;

  @Test
  void eventsOutsideThePlanOrBreakingItBecomeBadRows() throws Exception {
    Path plans = dir.resolve("plans/web");
    Files.createDirectories(plans);
    Files.writeString(plans.resolve("Order Completed.json"), """
        {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
         "properties": {"total": {"type": "number"}, "currency": {"type": "string"}},
         "required": ["total"]}""");
    Files.writeString(plans.resolve("_policy.json"), "{\"allow_unplanned\": false}");
    Path config = TestTributary.writeConfig(dir, 0, true);
    Files.writeString(config, Files.readString(config) + "schemas:\n  tracking_plans: "
        + dir.resolve("plans") + "\n");

    try (Tributary tributary = TestTributary.start(config)) {
      int port = tributary.port();
      String batch = """
          {"batch": [
            {"type": "track", "userId": "u", "event": "Order Completed", "messageId": "ok-1",
             "properties": {"total": 42, "currency": "EUR"}},
            {"type": "track", "userId": "u", "event": "Order Completed", "messageId": "bad-1",
             "properties": {"total": "forty-two"}},
            {"type": "track", "userId": "u", "event": "Unplanned Thing", "messageId": "bad-2"},
            {"type": "identify", "userId": "u", "messageId": "ok-2", "traits": {"plan": "pro"}}
          ]}""";
      assertThat(TestTributary.post(port, "/v1/batch", WRITE_KEY, batch).statusCode()).isEqualTo(200);

      await().atMost(30, TimeUnit.SECONDS).until(() ->
          count(port, "select count(*) from events where event_id in ('ok-1', 'ok-2')") == 2
              && count(port, "select count(*) from bad_events") == 2);
      assertThat(count(port, "select count(*) from events where event_id like 'bad-%'")).isZero();
      var bad = rows(port, "select type, messages::varchar from bad_events order by 2");
      assertThat(bad.toString()).contains("schema_violation", "Unplanned Thing",
          "not in the tracking plan of source 'web'", "total");
      assertThat(rows(port, "select raw->>'$.path' from bad_events").toString()).contains("/v1/batch");
    }
  }
}
