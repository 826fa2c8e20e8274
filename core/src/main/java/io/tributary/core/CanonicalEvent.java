package io.tributary.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
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

  /** The same event in the enriched model, before validation and enrichment. */
  public EnrichedEvent toEnriched() {
    EnrichedEvent e = new EnrichedEvent()
        .set(EventField.EVENT_ID, eventId)
        .set(EventField.SOURCE, source)
        .set(EventField.PROTOCOL, "segment")
        .set(EventField.EVENT_TYPE, eventType)
        .set(EventField.EVENT_NAME, eventName)
        .set(EventField.USER_ID, userId)
        .set(EventField.ANONYMOUS_ID, anonymousId)
        .set(EventField.GROUP_ID, groupId)
        .set(EventField.PREVIOUS_ID, previousId)
        .set(EventField.RECEIVED_AT, receivedAt)
        .set(EventField.SENT_AT, sentAt)
        .set(EventField.ORIGINAL_TIMESTAMP, originalTimestamp)
        .set(EventField.EVENT_TIME, eventTime)
        .set(EventField.PROPERTIES, Json.parseOrNull(properties))
        .set(EventField.TRAITS, Json.parseOrNull(traits))
        .set(EventField.CONTEXT, Json.parseOrNull(context))
        .set(EventField.IP, ip)
        .set(EventField.USER_AGENT, userAgent)
        .set(EventField.PAGE_URL, pageUrl)
        .set(EventField.PAGE_URLPATH, pagePath)
        .set(EventField.PAGE_REFERRER, pageReferrer)
        .set(EventField.PAGE_TITLE, pageTitle)
        .set(EventField.LIBRARY_NAME, libraryName)
        .set(EventField.LIBRARY_VERSION, libraryVersion)
        .set(EventField.RAW_ID, rawId);
    return e;
  }

  /** The canonical fields of an enriched event (JSON fields as compact text). */
  public static CanonicalEvent of(EnrichedEvent e) {
    return new CanonicalEvent(e.eventId(), e.string(EventField.SOURCE),
        e.string(EventField.EVENT_TYPE), e.string(EventField.EVENT_NAME),
        e.string(EventField.USER_ID), e.string(EventField.ANONYMOUS_ID),
        e.string(EventField.GROUP_ID), e.string(EventField.PREVIOUS_ID),
        e.timestamp(EventField.RECEIVED_AT), e.timestamp(EventField.SENT_AT),
        e.timestamp(EventField.ORIGINAL_TIMESTAMP), e.timestamp(EventField.EVENT_TIME),
        text(e.json(EventField.PROPERTIES)), text(e.json(EventField.TRAITS)),
        text(e.json(EventField.CONTEXT)), e.string(EventField.IP),
        e.string(EventField.USER_AGENT), e.string(EventField.PAGE_URL),
        e.string(EventField.PAGE_URLPATH), e.string(EventField.PAGE_REFERRER),
        e.string(EventField.PAGE_TITLE), e.string(EventField.LIBRARY_NAME),
        e.string(EventField.LIBRARY_VERSION), e.string(EventField.RAW_ID));
  }

  private static String text(JsonNode node) {
    return node == null ? null : node.toString();
  }

  public CanonicalEvent {
    requireNonNull(eventId, "eventId is null");
    requireNonNull(source, "source is null");
    requireNonNull(eventType, "eventType is null");
    requireNonNull(receivedAt, "receivedAt is null");
    requireNonNull(eventTime, "eventTime is null");
    requireNonNull(rawId, "rawId is null");
  }
}
