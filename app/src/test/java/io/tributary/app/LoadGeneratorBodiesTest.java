package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoadGeneratorBodiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00.123456Z");
  private static final String UUID_SHAPE = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}";

  @Test
  void segmentBatchHoldsTheBatchOfEventsOfTheGivenSizeWithUniqueMessageIds() throws Exception {
    Set<String> ids = new HashSet<>();
    for (int connection = 0; connection < 2; connection++) {
      LoadGeneratorBodies bodies =
          LoadGeneratorBodies.create(BenchMode.SEGMENT_BATCH, 100, 650, 0x1234_5678_9abcL, connection, NOW);
      for (int r = 0; r < 3; r++) {
        LoadGeneratorBodies.Body body = bodies.next();
        JsonNode root = JSON.readTree(body.bytes());
        assertThat(body.events()).isEqualTo(100);
        assertThat(body.bytes()).hasSize(bodies.templateBytes());
        assertThat(root.path("sentAt").asText()).isEqualTo("2026-11-22T12:00:00.123Z");
        JsonNode batch = root.path("batch");
        assertThat(batch).hasSize(100);
        assertThat(batch.get(0).path("messageId").asText()).isEqualTo(body.firstEventId());
        for (JsonNode event : batch) {
          assertThat(event.path("type").asText()).isEqualTo("track");
          assertThat(event.path("messageId").asText()).matches(UUID_SHAPE).startsWith("12345678-9abc-4");
          assertThat(JSON.writeValueAsString(event)).as("an event of --event-bytes").hasSize(650);
          assertThat(ids.add(event.path("messageId").asText())).as("unique messageId").isTrue();
        }
      }
    }
    assertThat(ids).hasSize(600);
  }

  @Test
  void segmentSingleIsOneEventPerRequest() throws Exception {
    LoadGeneratorBodies bodies = LoadGeneratorBodies.create(BenchMode.SEGMENT_SINGLE, 100, 650, 7, 3, NOW);
    LoadGeneratorBodies.Body first = bodies.next();
    LoadGeneratorBodies.Body second = bodies.next();
    JsonNode event = JSON.readTree(first.bytes());
    assertThat(first.events()).isEqualTo(1);
    assertThat(first.bytes()).hasSize(650);
    assertThat(event.path("event").asText()).isEqualTo("Order Completed");
    assertThat(event.path("messageId").asText()).isEqualTo(first.firstEventId()).matches(UUID_SHAPE);
    assertThat(second.firstEventId()).isNotEqualTo(first.firstEventId());
  }

  @Test
  void snowplowIsAPayloadDataOfAlternatePageViewsAndStructEventsWithUniqueEids() throws Exception {
    LoadGeneratorBodies bodies = LoadGeneratorBodies.create(BenchMode.SNOWPLOW, 10, 650, 99, 0, NOW);
    List<String> eids = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      LoadGeneratorBodies.Body body = bodies.next();
      JsonNode root = JSON.readTree(body.bytes());
      assertThat(root.path("schema").asText()).isEqualTo(LoadGeneratorBodies.PAYLOAD_DATA);
      JsonNode data = root.path("data");
      assertThat(data).hasSize(10);
      assertThat(data.get(0).path("eid").asText()).isEqualTo(body.firstEventId());
      for (int i = 0; i < data.size(); i++) {
        JsonNode e = data.get(i);
        assertThat(e.path("e").asText()).isEqualTo(i % 2 == 0 ? "pv" : "se");
        assertThat(e.path("dtm").asText()).isEqualTo(String.valueOf(NOW.toEpochMilli()));
        assertThat(JSON.writeValueAsString(e)).hasSize(650);
        eids.add(e.path("eid").asText());
      }
    }
    assertThat(eids).doesNotHaveDuplicates().allMatch(id -> id.matches(UUID_SHAPE));
  }

  @Test
  void eventsSmallerThanTheBareEventAreNotPadded() throws Exception {
    LoadGeneratorBodies bodies = LoadGeneratorBodies.create(BenchMode.SEGMENT_SINGLE, 1, 100, 1, 0, NOW);
    JsonNode event = JSON.readTree(bodies.next().bytes());
    assertThat(event.path("properties").path("note").asText()).isEmpty();
    assertThat(bodies.templateBytes()).isGreaterThan(100);
  }

  @Test
  void idsCarryTheRunAndTheConnection() {
    assertThat(LoadGeneratorBodies.idPrefix(0xabcdef012345L, 0x7ff)).isEqualTo("abcdef01-2345-47ff-8");
    assertThat(LoadGeneratorBodies.idPrefix(-1L, 4095)).isEqualTo("ffffffff-ffff-4fff-8");
  }
}
