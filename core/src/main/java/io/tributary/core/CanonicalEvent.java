package io.tributary.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One event in Tributary's canonical model: the row of the {@code events} table. JSON-valued fields
 * hold compact JSON text (or null).
 *
 * @param eventId the event's unique id (Segment messageId); derived deterministically when missing
 * @param eventTime when the event happened, corrected for client clock skew
 * @param rawId id of the raw record it came from (lineage back to the lake)
 */
public record CanonicalEvent(
    String eventId,
    String source,
    String eventType,
    String eventName,
    String userId,
    String anonymousId,
    String groupId,
    String previousId,
    Instant receivedAt,
    Instant sentAt,
    Instant originalTimestamp,
    Instant eventTime,
    String properties,
    String traits,
    String context,
    String ip,
    String userAgent,
    String pageUrl,
    String pagePath,
    String pageReferrer,
    String pageTitle,
    String libraryName,
    String libraryVersion,
    String rawId) {

  public CanonicalEvent {
    requireNonNull(eventId, "eventId is null");
    requireNonNull(source, "source is null");
    requireNonNull(eventType, "eventType is null");
    requireNonNull(receivedAt, "receivedAt is null");
    requireNonNull(eventTime, "eventTime is null");
    requireNonNull(rawId, "rawId is null");
  }
}
