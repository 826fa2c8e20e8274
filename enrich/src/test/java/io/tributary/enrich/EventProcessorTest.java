package io.tributary.enrich;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.BadRow;
import io.tributary.core.BadRowType;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import io.tributary.core.ManualClock;
import io.tributary.core.RawRecord;
import io.tributary.core.RawRecordCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventProcessorTest {
  static final Instant RECEIVED = Instant.parse("2024-05-01T10:00:00Z");
  static final String PAYLOAD_DATA =
      "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4";
  static final String UNSTRUCT =
      "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0";
  static final String CLICK = "iglu:com.acme/click/jsonschema/1-0-0";

  private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T10:00:05Z"));

  // ---- Fixtures --------------------------------------------------------------------------------

  static RawRecord segmentBatch(String id, String... events) {
    StringBuilder batch = new StringBuilder();
    for (int i = 0; i < events.length; i++) {
      batch.append(i == 0 ? "" : ",").append("""
          {"type": "track", "event": "%s", "messageId": "%s-m%d", "userId": "u1",
           "timestamp": "2024-05-01T09:59:59Z"}""".formatted(events[i], id, i));
    }
    String body = "{\"batch\": [" + batch + "], \"sentAt\": \"2024-05-01T10:00:00Z\"}";
    return new RawRecord(id, "web", "segment", "/v1/batch", RECEIVED, "203.0.113.9", "test-agent",
        "application/json", body.getBytes(UTF_8));
  }

  static RawRecord snowplow(String id, String body) {
    return new RawRecord(id, "sp", "snowplow", SnowplowAdapter.TP2_PATH, RECEIVED, "203.0.113.9",
        "test-agent", "application/json", body.getBytes(UTF_8));
  }

  /** A tp2 body with the given events (each a JSON object of parameters). */
  static String payloadData(String... events) {
    return "{\"schema\": \"" + PAYLOAD_DATA + "\", \"data\": [" + String.join(",", events) + "]}";
  }

  /** A tp2 body: two valid events and, in between, one whose vid is not an integer. */
  static RawRecord snowplowWithOneBadVid(String id) {
    return snowplow(id, payloadData(
        "{\"e\": \"pv\", \"eid\": \"e1\", \"p\": \"web\", \"tv\": \"js-3.0\", \"url\": \"https://acme.com/\"}",
        "{\"e\": \"pv\", \"eid\": \"e2\", \"p\": \"web\", \"tv\": \"js-3.0\", \"vid\": \"abc\"}",
        "{\"e\": \"se\", \"eid\": \"e3\", \"p\": \"web\", \"tv\": \"js-3.0\", \"se_ca\": \"c\", \"se_ac\": \"a\"}"));
  }

  /** A tp2 event parameter object carrying a self-describing event of {@code schema}. */
  static String selfDescribing(String eid, String schema, String data) {
    String uePr = "{\"schema\": \"" + UNSTRUCT + "\", \"data\": {\"schema\": \"" + schema
        + "\", \"data\": " + data + "}}";
    return "{\"e\": \"ue\", \"eid\": \"" + eid + "\", \"p\": \"web\", \"tv\": \"js-3.0\", \"ue_pr\": "
        + quoted(uePr) + "}";
  }

  static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private EventProcessor processor(EventCheck... checks) {
    return new EventProcessor(new SnowplowAdapter(), List.of(checks), clock);
  }

  private static List<String> ids(List<EnrichedEvent> events) {
    return events.stream().map(EnrichedEvent::eventId).toList();
  }

  // ---- Adapting --------------------------------------------------------------------------------

  @Test
  void segmentBatchBecomesOneGoodEventPerMessage() {
    RawRecord raw = segmentBatch("raw-1", "Signed Up", "Clicked", "Left");

    EventProcessor.Output out = processor().process(RawRecordCodec.encode(raw));

    assertThat(out.bad()).isEmpty();
    assertThat(out.replayId()).isNull();
    assertThat(out.good()).hasSize(3);
    assertThat(ids(out.good())).containsExactly("raw-1-m0", "raw-1-m1", "raw-1-m2");
    assertThat(out.good()).allSatisfy(e -> {
      assertThat(e.string(EventField.PROTOCOL)).isEqualTo("segment");
      assertThat(e.string(EventField.SOURCE)).isEqualTo("web");
      assertThat(e.string(EventField.RAW_ID)).isEqualTo("raw-1");
      assertThat(e.timestamp(EventField.RECEIVED_AT)).isEqualTo(RECEIVED);
    });
    assertThat(out.good()).extracting(e -> e.string(EventField.EVENT_NAME))
        .containsExactly("Signed Up", "Clicked", "Left");
  }

  @Test
  void snowplowEventWithABadParameterBecomesABadRowAndItsNeighboursPass() {
    RawRecord raw = snowplowWithOneBadVid("raw-sp");
    byte[] line = RawRecordCodec.encode(raw);

    EventProcessor.Output out = processor().process(line);

    assertThat(ids(out.good())).containsExactly("e1", "e3");
    assertThat(out.good()).allSatisfy(e -> {
      assertThat(e.string(EventField.PROTOCOL)).isEqualTo("snowplow");
      assertThat(e.string(EventField.SOURCE)).isEqualTo("sp");
      assertThat(e.string(EventField.RAW_ID)).isEqualTo("raw-sp");
    });
    assertThat(out.bad()).singleElement().satisfies(b -> {
      assertThat(b.type()).isEqualTo(BadRowType.TRACKER_PROTOCOL_VIOLATION);
      assertThat(b.messages()).singleElement().asString().contains("data[1]").contains("vid")
          .contains("\"abc\" is not an integer");
      assertThat(b.raw()).isEqualTo(line);
      assertThat(b.rawId()).isEqualTo("raw-sp");
      assertThat(b.source()).isEqualTo("sp");
      assertThat(b.receivedAt()).isEqualTo(RECEIVED);
      assertThat(b.processor()).isEqualTo(EventProcessor.PROCESSOR);
      assertThat(b.failureTime()).isEqualTo(clock.instant());
      assertThat(b.replayId()).isNull();
    });
  }

  @Test
  void recordOverTheSizeLimitIsOneSizeViolation() {
    RawRecord raw = new RawRecord("raw-big", "sp", "snowplow", SnowplowAdapter.TP2_PATH, RECEIVED,
        null, null, null, new byte[0], null,
        Map.of(RawRecord.SIZE_VIOLATION_HEADER, "2000000 bytes > 1000000"), null, null);
    byte[] line = RawRecordCodec.encode(raw);
    AtomicInteger checked = new AtomicInteger();

    EventProcessor.Output out = processor(e -> {
      checked.incrementAndGet();
      return List.of();
    }).process(line);

    assertThat(out.good()).isEmpty();
    assertThat(out.bad()).singleElement().satisfies(b -> {
      assertThat(b.type()).isEqualTo(BadRowType.SIZE_VIOLATION);
      assertThat(b.messages()).singleElement().asString().contains("2000000 bytes > 1000000");
      assertThat(b.rawId()).isEqualTo("raw-big");
      assertThat(b.raw()).isEqualTo(line);
    });
    assertThat(checked).hasValue(0);
  }

  @Test
  void undecodableBytesBecomeAnAdapterFailureWithTheBytesKept() {
    for (byte[] garbage : List.of(new byte[] {(byte) 0xff, 0x00, 'x', '{'},
        "not json at all".getBytes(UTF_8), "{\"v\": 1, \"id\": \"x\"}".getBytes(UTF_8),
        "[1, 2]".getBytes(UTF_8), new byte[0])) {
      EventProcessor.Output out = processor().process(garbage);

      assertThat(out.good()).isEmpty();
      assertThat(out.replayId()).isNull();
      assertThat(out.bad()).singleElement().satisfies(b -> {
        assertThat(b.type()).isEqualTo(BadRowType.ADAPTER_FAILURE);
        assertThat(b.raw()).isEqualTo(garbage);
        assertThat(b.messages()).singleElement().asString().startsWith("raw record");
        assertThat(b.rawId()).isNull();
        assertThat(b.failureTime()).isEqualTo(clock.instant());
      });
    }
  }

  @Test
  void undecodableBytesGetAStableBadRowId() {
    byte[] garbage = "garbage".getBytes(UTF_8);

    String first = processor().process(garbage).bad().get(0).id();
    clock.advance(Duration.ofHours(1));

    assertThat(processor().process(garbage).bad().get(0).id()).isEqualTo(first);
    assertThat(processor().process("other garbage".getBytes(UTF_8)).bad().get(0).id())
        .isNotEqualTo(first);
  }

  @Test
  void unknownProtocolIsAnAdapterFailure() {
    RawRecord raw = new RawRecord("raw-x", "web", "mixpanel", "/track", RECEIVED, null, null,
        "application/json", "{\"event\": \"x\"}".getBytes(UTF_8));
    byte[] line = RawRecordCodec.encode(raw);

    EventProcessor.Output out = processor().process(line);

    assertThat(out.good()).isEmpty();
    assertThat(out.bad()).singleElement().satisfies(b -> {
      assertThat(b.type()).isEqualTo(BadRowType.ADAPTER_FAILURE);
      assertThat(b.messages()).containsExactly("no adapter for protocol 'mixpanel'");
      assertThat(b.raw()).isEqualTo(line);
      assertThat(b.rawId()).isEqualTo("raw-x");
    });
  }

  @Test
  void unknownSnowplowPathIsTheAdaptersFailure() {
    RawRecord raw = new RawRecord("raw-v", "sp", "snowplow", "/com.acme/v9", RECEIVED, null, null,
        null, "{}".getBytes(UTF_8));

    EventProcessor.Output out = processor().process(RawRecordCodec.encode(raw));

    assertThat(out.good()).isEmpty();
    assertThat(out.bad()).singleElement().satisfies(b -> {
      assertThat(b.type()).isEqualTo(BadRowType.ADAPTER_FAILURE);
      assertThat(b.messages()).containsExactly("no adapter for vendor com.acme version v9");
    });
  }

  @Test
  void malformedSegmentBatchIsOneTrackerProtocolViolation() {
    RawRecord raw = new RawRecord("raw-s", "web", "segment", "/v1/batch", RECEIVED, null, null,
        "application/json", "{\"batch\": [{\"type\": \"nope\"}]}".getBytes(UTF_8));

    EventProcessor.Output out = processor().process(RawRecordCodec.encode(raw));

    assertThat(out.good()).isEmpty();
    assertThat(out.bad()).singleElement().satisfies(b -> {
      assertThat(b.type()).isEqualTo(BadRowType.TRACKER_PROTOCOL_VIOLATION);
      assertThat(b.messages()).singleElement().asString().contains("batch[0] has no valid type");
    });
  }

  // ---- Checks ----------------------------------------------------------------------------------

  @Test
  void checksRunInOrderAndStopAtTheFirstFailure() {
    List<String> order = new ArrayList<>();
    EventCheck rejectX = e -> {
      order.add("first:" + e.eventId());
      return "X".equals(e.string(EventField.EVENT_NAME))
          ? List.of(new Failure(BadRowType.SCHEMA_VIOLATION, "$.a: required"),
              new Failure(BadRowType.ENRICHMENT_FAILURE, "$.b: too long"))
          : List.of();
    };
    EventCheck later = e -> {
      order.add("second:" + e.eventId());
      return List.of();
    };
    RawRecord raw = segmentBatch("raw-c", "Y", "X", "Z");

    EventProcessor.Output out = processor(rejectX, later).process(RawRecordCodec.encode(raw));

    assertThat(ids(out.good())).containsExactly("raw-c-m0", "raw-c-m2");
    assertThat(order).containsExactly("first:raw-c-m0", "second:raw-c-m0", "first:raw-c-m1",
        "first:raw-c-m2", "second:raw-c-m2");
    assertThat(out.bad()).singleElement().satisfies(b -> {
      assertThat(b.type()).isEqualTo(BadRowType.SCHEMA_VIOLATION); // the first failure's type
      assertThat(b.messages()).containsExactly("$.a: required", "$.b: too long");
      assertThat(b.rawId()).isEqualTo("raw-c");
      assertThat(b.source()).isEqualTo("web");
    });
  }

  @Test
  void checkThatThrowsMakesAnEnrichmentFailureForThatEventOnly() {
    AtomicInteger laterCalls = new AtomicInteger();
    EventCheck throwing = e -> {
      if ("Boom".equals(e.string(EventField.EVENT_NAME))) {
        throw new IllegalStateException("lookup table missing");
      }
      return List.of();
    };
    EventCheck later = e -> {
      laterCalls.incrementAndGet();
      return List.of();
    };

    EventProcessor.Output out = processor(throwing, later)
        .process(RawRecordCodec.encode(segmentBatch("raw-t", "A", "Boom", "B")));

    assertThat(ids(out.good())).containsExactly("raw-t-m0", "raw-t-m2");
    assertThat(laterCalls).hasValue(2);
    assertThat(out.bad()).singleElement().satisfies(b -> {
      assertThat(b.type()).isEqualTo(BadRowType.ENRICHMENT_FAILURE);
      assertThat(b.messages()).singleElement().asString()
          .contains("IllegalStateException").contains("lookup table missing");
    });
  }

  @Test
  void checksMayEnrichTheGoodEvents() {
    EventCheck tag = e -> {
      e.set(EventField.APP_ID, "tagged");
      return List.of();
    };

    EventProcessor.Output out =
        processor(tag).process(RawRecordCodec.encode(segmentBatch("raw-e", "A")));

    assertThat(out.good()).singleElement()
        .satisfies(e -> assertThat(e.string(EventField.APP_ID)).isEqualTo("tagged"));
  }

  @Test
  void adapterFailuresAreNotChecked() {
    AtomicInteger calls = new AtomicInteger();

    EventProcessor.Output out = processor(e -> {
      calls.incrementAndGet();
      return List.of();
    }).process(RawRecordCodec.encode(snowplowWithOneBadVid("raw-a")));

    assertThat(out.good()).hasSize(2);
    assertThat(out.bad()).hasSize(1);
    assertThat(calls).hasValue(2);
  }

  // ---- Real validation -------------------------------------------------------------------------

  @Test
  void selfDescribingEventsAreValidatedAgainstTheRegistry(@TempDir Path root) throws IOException {
    Path file = root.resolve("schemas/com.acme/click/jsonschema/1-0-0");
    Files.createDirectories(file.getParent());
    Files.writeString(file, """
        {"$schema": "http://json-schema.org/draft-04/schema#",
         "self": {"vendor": "com.acme", "name": "click", "format": "jsonschema", "version": "1-0-0"},
         "type": "object",
         "properties": {"id": {"type": "string"}},
         "required": ["id"]}""");
    SelfDescribingValidator validator = new SelfDescribingValidator(new SchemaResolver(
        List.of(new RegistryEntry(new DirectoryRegistry("local", root), 0))));
    RawRecord raw = snowplow("raw-v", payloadData(
        selfDescribing("ok", CLICK, "{\"id\": \"button-1\"}"),
        selfDescribing("invalid", CLICK, "{\"id\": 7}"),
        selfDescribing("missing", CLICK, "{}"),
        selfDescribing("unknown", "iglu:com.acme/nope/jsonschema/1-0-0", "{\"id\": \"x\"}")));

    EventProcessor.Output out = processor(validator::validate).process(RawRecordCodec.encode(raw));

    assertThat(out.good()).singleElement().satisfies(e -> {
      assertThat(e.eventId()).isEqualTo("ok");
      assertThat(e.string(EventField.EVENT_NAME)).isEqualTo("click");
      assertThat(e.string(EventField.EVENT_SCHEMA)).isEqualTo(CLICK);
    });
    assertThat(out.bad()).hasSize(3);
    assertThat(out.bad().get(0).type()).isEqualTo(BadRowType.SCHEMA_VIOLATION);
    assertThat(out.bad().get(0).messages()).singleElement().asString()
        .startsWith("unstruct_event (" + CLICK + "): ").contains("$.id");
    assertThat(out.bad().get(1).type()).isEqualTo(BadRowType.SCHEMA_VIOLATION);
    assertThat(out.bad().get(1).messages()).singleElement().asString()
        .startsWith("unstruct_event (" + CLICK + "): ").contains("id").contains("not found");
    assertThat(out.bad().get(2).type()).isEqualTo(BadRowType.RESOLUTION_ERROR);
    assertThat(out.bad().get(2).messages()).singleElement().asString()
        .startsWith("unstruct_event (iglu:com.acme/nope/jsonschema/1-0-0): ").contains("not found");
    assertThat(out.bad()).extracting(BadRow::rawId).containsOnly("raw-v");
  }

  // ---- Determinism and replays -----------------------------------------------------------------

  private static EventCheck rejecting(String eventId) {
    return e -> eventId.equals(e.eventId())
        ? List.of(new Failure(BadRowType.SCHEMA_VIOLATION, "rejected " + eventId))
        : List.of();
  }

  @Test
  void processingTheSameBytesAgainGivesTheSameIds() {
    byte[] line = RawRecordCodec.encode(snowplowWithOneBadVid("raw-d"));
    EventProcessor processor = processor(rejecting("e3"));

    EventProcessor.Output first = processor.process(line);
    Instant firstTime = clock.instant();
    clock.advance(Duration.ofMinutes(30));
    EventProcessor.Output second = processor.process(line);

    assertThat(ids(first.good())).containsExactly("e1");
    assertThat(ids(second.good())).isEqualTo(ids(first.good()));
    assertThat(first.bad()).hasSize(2);
    assertThat(second.bad()).extracting(BadRow::id)
        .isEqualTo(first.bad().stream().map(BadRow::id).toList())
        .doesNotHaveDuplicates();
    assertThat(first.bad()).extracting(BadRow::failureTime).containsOnly(firstTime);
    assertThat(second.bad()).extracting(BadRow::failureTime).containsOnly(clock.instant());
  }

  @Test
  void eventsWithoutIdsGetTheSameDerivedIdsAgain() {
    RawRecord raw = snowplow("raw-n", payloadData("{\"e\": \"pv\", \"p\": \"web\"}",
        "{\"e\": \"pv\", \"p\": \"web\"}"));
    byte[] line = RawRecordCodec.encode(raw);

    List<String> first = ids(processor().process(line).good());
    clock.advance(Duration.ofDays(1));

    assertThat(first).hasSize(2).doesNotHaveDuplicates().doesNotContainNull();
    assertThat(ids(processor().process(line).good())).isEqualTo(first);
    assertThat(ids(processor().process(RawRecordCodec.encode(raw.withReplayId("r1"))).good()))
        .isEqualTo(first);
  }

  @Test
  void aReplayKeepsEventIdsButMakesNewBadRowIds() {
    RawRecord raw = snowplowWithOneBadVid("raw-r");
    EventProcessor processor = processor(rejecting("e3"));

    EventProcessor.Output original = processor.process(RawRecordCodec.encode(raw));
    clock.advance(Duration.ofHours(2));
    byte[] replayLine = RawRecordCodec.encode(raw.withReplayId("r1"));
    EventProcessor.Output replay = processor.process(replayLine);
    EventProcessor.Output replayAgain = processor.process(replayLine);

    assertThat(original.replayId()).isNull();
    assertThat(replay.replayId()).isEqualTo("r1");
    assertThat(ids(replay.good())).isEqualTo(ids(original.good()));
    assertThat(replay.bad()).hasSize(2).allSatisfy(b -> {
      assertThat(b.replayId()).isEqualTo("r1");
      assertThat(b.raw()).isEqualTo(replayLine);
      assertThat(b.rawId()).isEqualTo("raw-r");
    });
    assertThat(replay.bad()).extracting(BadRow::type).isEqualTo(
        original.bad().stream().map(BadRow::type).toList());
    assertThat(replay.bad()).extracting(BadRow::id)
        .doesNotContainAnyElementsOf(original.bad().stream().map(BadRow::id).toList());
    assertThat(replayAgain.bad()).extracting(BadRow::id)
        .isEqualTo(replay.bad().stream().map(BadRow::id).toList());
    assertThat(processor.process(RawRecordCodec.encode(raw.withReplayId("r2"))).bad())
        .extracting(BadRow::id)
        .doesNotContainAnyElementsOf(replay.bad().stream().map(BadRow::id).toList());
  }

  @Test
  void replayOfASizeViolationCarriesTheReplayId() {
    RawRecord raw = new RawRecord("raw-big", "sp", "snowplow", SnowplowAdapter.TP2_PATH, RECEIVED,
        null, null, null, new byte[0], null, Map.of(RawRecord.SIZE_VIOLATION_HEADER, "big"), null,
        null);

    BadRow first = processor().process(RawRecordCodec.encode(raw)).bad().get(0);
    EventProcessor.Output replay = processor().process(RawRecordCodec.encode(raw.withReplayId("r1")));

    assertThat(replay.replayId()).isEqualTo("r1");
    assertThat(replay.bad()).singleElement().satisfies(b -> {
      assertThat(b.replayId()).isEqualTo("r1");
      assertThat(b.id()).isNotEqualTo(first.id());
    });
  }
}
