package io.tributary.lake.iceberg;

import io.tributary.core.EnrichedEvent;
import io.tributary.core.EnrichedEventCodec;
import io.tributary.core.EventField;
import io.tributary.core.SourcedRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Enriched-topic records for tests. */
final class Events {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private Events() {}

  static SourcedRecord record(int partition, long offset) {
    EnrichedEvent e = new EnrichedEvent()
        .set(EventField.EVENT_ID, "e-" + partition + "-" + offset)
        .set(EventField.EVENT_TYPE, "track")
        .set(EventField.EVENT_NAME, offset % 3 == 0 ? "Order Completed" : "Signed Up")
        .set(EventField.EVENT_TIME, T0.plusSeconds(offset * 3600))
        .set(EventField.RECEIVED_AT, T0)
        .set(EventField.DOMAIN_SESSIONIDX, (int) offset)
        .set(EventField.SE_VALUE, offset / 2.0)
        .set(EventField.IS_BOT, offset % 2 == 0)
        .set(EventField.PROPERTIES, io.tributary.core.Json.MAPPER.createObjectNode().put("n", offset));
    return new SourcedRecord(partition, offset, T0.toEpochMilli(), EnrichedEventCodec.encode(e));
  }

  /** Records {@code from} (inclusive) to {@code to} (exclusive) of one partition. */
  static List<SourcedRecord> range(int partition, long from, long to) {
    List<SourcedRecord> out = new ArrayList<>();
    for (long o = from; o < to; o++) {
      out.add(record(partition, o));
    }
    return out;
  }

  static SourcedRecord garbage(int partition, long offset) {
    return new SourcedRecord(partition, offset, 0, "not json".getBytes(StandardCharsets.UTF_8));
  }

  static List<String> ids(int partition, long from, long to) {
    List<String> out = new ArrayList<>();
    for (long o = from; o < to; o++) {
      out.add("e-" + partition + "-" + o);
    }
    return out;
  }
}
