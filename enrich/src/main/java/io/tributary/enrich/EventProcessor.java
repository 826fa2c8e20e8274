package io.tributary.enrich;

import io.tributary.core.BadRequestException;
import io.tributary.core.BadRow;
import io.tributary.core.BadRowType;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.RawRecord;
import io.tributary.core.RawRecordCodec;
import io.tributary.core.SegmentNormalizer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The enrich stage's logic, as a pure function of one raw record: adapt it to canonical events
 * (Segment or Snowplow), run the validations and enrichments on each, and return the good events and
 * the bad rows. Deterministic ids: processing the same record again gives the same events and bad rows.
 */
public final class EventProcessor {
  /** Name and version written into every bad row. */
  public static final String PROCESSOR = "tributary-enrich/0.1.0";

  /** What one raw record became ({@code rawId} null when the record could not be read). */
  public record Output(List<EnrichedEvent> good, List<BadRow> bad, String replayId, String rawId) {}

  private final SnowplowAdapter snowplow;
  private final List<EventCheck> checks;
  private final Clock clock;

  /** @param checks validations then enrichments, applied in order until one fails */
  public EventProcessor(SnowplowAdapter snowplow, List<EventCheck> checks, Clock clock) {
    this.snowplow = snowplow;
    this.checks = List.copyOf(checks);
    this.clock = clock;
  }

  public Output process(byte[] rawLine) {
    RawRecord raw;
    try {
      raw = RawRecordCodec.decode(rawLine);
    } catch (BadRequestException e) {
      String id = UUID.nameUUIDFromBytes(rawLine).toString();
      return new Output(List.of(), List.of(new BadRow(id, BadRowType.ADAPTER_FAILURE, PROCESSOR,
          clock.instant(), List.of(e.getMessage()), null, null, null, rawLine, null)), null, null);
    }
    List<BadRow> bad = new ArrayList<>();
    String sizeViolation = raw.headers().get(RawRecord.SIZE_VIOLATION_HEADER);
    if (sizeViolation != null) {
      bad.add(badRow(raw, rawLine, "request", BadRowType.SIZE_VIOLATION,
          List.of("request too large (" + sizeViolation + "): the collector kept its metadata, not its body")));
      return new Output(List.of(), bad, raw.replayId(), raw.id());
    }
    List<EnrichedEvent> candidates = new ArrayList<>();
    adapt(raw, rawLine, candidates, bad);
    List<EnrichedEvent> good = new ArrayList<>(candidates.size());
    for (EnrichedEvent event : candidates) {
      List<Failure> failures = runChecks(event);
      if (failures.isEmpty()) {
        good.add(event);
      } else {
        bad.add(badRow(raw, rawLine, event.eventId(), failures.get(0).type(),
            failures.stream().map(Failure::message).toList()));
      }
    }
    return new Output(good, bad, raw.replayId(), raw.id());
  }

  private void adapt(RawRecord raw, byte[] rawLine, List<EnrichedEvent> events, List<BadRow> bad) {
    switch (raw.protocol()) {
      case "segment" -> {
        try {
          events.addAll(SegmentNormalizer.normalizeToEnriched(raw));
        } catch (BadRequestException e) {
          bad.add(badRow(raw, rawLine, "request", BadRowType.TRACKER_PROTOCOL_VIOLATION,
              List.of(e.getMessage())));
        }
      }
      case "snowplow" -> {
        AdapterResult result = snowplow.adapt(raw);
        events.addAll(result.events());
        int i = 0;
        for (Failure f : result.failures()) {
          bad.add(badRow(raw, rawLine, "adapter-" + i++, f.type(), List.of(f.message())));
        }
      }
      default -> bad.add(badRow(raw, rawLine, "request", BadRowType.ADAPTER_FAILURE,
          List.of("no adapter for protocol '" + raw.protocol() + "'")));
    }
  }

  private List<Failure> runChecks(EnrichedEvent event) {
    for (EventCheck check : checks) {
      List<Failure> failures;
      try {
        failures = check.check(event);
      } catch (RuntimeException e) {
        failures = List.of(new Failure(BadRowType.ENRICHMENT_FAILURE,
            "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()));
      }
      if (!failures.isEmpty()) {
        return failures;
      }
    }
    return List.of();
  }

  private BadRow badRow(RawRecord raw, byte[] rawLine, String where, BadRowType type,
      List<String> messages) {
    String key = raw.id() + "|" + raw.replayId() + "|" + where + "|" + type + "|"
        + String.join("|", messages);
    String id = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    return new BadRow(id, type, PROCESSOR, clock.instant(), messages, raw.source(), raw.id(),
        raw.receivedAt(), rawLine, raw.replayId());
  }
}
