package io.tributary.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A failure, kept with everything needed to fix and replay it.
 *
 * @param id deterministic: the same raw record failing the same way in the same replay yields the
 *     same id, so retries do not duplicate bad rows
 * @param messages each names the field and the rule that failed
 * @param raw the raw record as it was on the raw topic (the original payload and its metadata)
 * @param replayId the replay that produced this bad row, or null for the first processing
 */
public record BadRow(
    String id,
    BadRowType type,
    String processor,
    Instant failureTime,
    List<String> messages,
    String source,
    String rawId,
    Instant receivedAt,
    byte[] raw,
    String replayId) {

  public BadRow {
    requireNonNull(id, "id is null");
    requireNonNull(type, "type is null");
    requireNonNull(processor, "processor is null");
    requireNonNull(failureTime, "failureTime is null");
    requireNonNull(raw, "raw is null");
    messages = List.copyOf(messages);
  }
}
