package io.tributary.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a raw Segment-API request into canonical events. Pure and deterministic: the same raw record
 * always yields the same events with the same ids, which is what makes replays and retries idempotent.
 */
public final class SegmentNormalizer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SegmentNormalizer() {}

  /** The path's message type ({@code /v1/t} → track), or null for batch paths. */
  public static SegmentType typeOfPath(String path) {
    String last = path.substring(path.lastIndexOf('/') + 1);
    return switch (last) {
      case "track", "t" -> SegmentType.TRACK;
      case "identify", "i" -> SegmentType.IDENTIFY;
      case "page", "p" -> SegmentType.PAGE;
      case "screen", "s" -> SegmentType.SCREEN;
      case "group", "g" -> SegmentType.GROUP;
      case "alias", "a" -> SegmentType.ALIAS;
      default -> null;
    };
  }

  /** The request's events in the canonical model (JSON fields as text). */
  public static List<CanonicalEvent> normalize(RawRecord raw) {
    return normalizeToEnriched(raw).stream().map(CanonicalEvent::of).toList();
  }

  /**
   * The request's events as {@link CanonicalEvent#toEnriched()} would give them, without writing
   * the JSON fields as text and parsing them back. JSON values may share nodes with each other
   * (the batch context): treat them as immutable.
   */
  public static List<EnrichedEvent> normalizeToEnriched(RawRecord raw) {
    JsonNode root;
    try {
      root = JSON.readTree(raw.body());
    } catch (IOException e) {
      throw new BadRequestException("raw record " + raw.id() + " has an invalid JSON body: "
          + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new BadRequestException("raw record " + raw.id() + " body is not a JSON object");
    }
    SegmentType pathType = typeOfPath(raw.path());
    if (pathType != null) {
      return List.of(toEvent(raw, (ObjectNode) root, pathType, null, null, 0));
    }
    JsonNode batch = root.get("batch");
    if (batch == null || !batch.isArray()) {
      throw new BadRequestException("raw record " + raw.id() + " has no 'batch' array");
    }
    Instant batchSentAt = time(root.get("sentAt"));
    JsonNode batchContext = root.get("context");
    List<EnrichedEvent> events = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      JsonNode message = batch.get(i);
      if (!message.isObject()) {
        throw new BadRequestException("raw record " + raw.id() + " batch[" + i + "] is not an object");
      }
      SegmentType type = SegmentType.fromWireName(text(message.get("type")));
      if (type == null) {
        throw new BadRequestException("raw record " + raw.id() + " batch[" + i + "] has no valid type");
      }
      events.add(toEvent(raw, (ObjectNode) message, type, batchSentAt, batchContext, i));
    }
    return events;
  }

  private static EnrichedEvent toEvent(
      RawRecord raw, ObjectNode m, SegmentType type, Instant batchSentAt, JsonNode batchContext,
      int index) {
    ObjectNode context = mergedContext(m.get("context"), batchContext);
    if (raw.ip() != null && !context.hasNonNull("ip")) {
      context.put("ip", raw.ip());
    }
    String messageId = text(m.get("messageId"));
    if (messageId == null || messageId.isBlank()) {
      messageId = derivedId(raw.id(), index);
    }
    Instant receivedAt = raw.receivedAt();
    Instant sentAt = time(m.get("sentAt"));
    if (sentAt == null) {
      sentAt = batchSentAt;
    }
    Instant original = time(m.get("timestamp"));
    if (original == null) {
      original = time(m.get("originalTimestamp"));
    }
    Instant eventTime = eventTime(receivedAt, sentAt, original);

    JsonNode page = context.get("page");
    JsonNode props = m.get("properties");
    JsonNode pageProps = type == SegmentType.PAGE ? props : null;
    JsonNode library = context.get("library");
    String userAgent = text(context.get("userAgent"));
    // The same fields, in the same order, as CanonicalEvent.toEnriched.
    return new EnrichedEvent()
        .set(EventField.EVENT_ID, messageId)
        .set(EventField.SOURCE, requireNonNull(raw.source(), "source is null"))
        .set(EventField.PROTOCOL, "segment")
        .set(EventField.EVENT_TYPE, type.wireName())
        .set(EventField.EVENT_NAME, switch (type) {
          case TRACK -> text(m.get("event"));
          case PAGE, SCREEN -> text(m.get("name"));
          default -> null;
        })
        .set(EventField.USER_ID, text(m.get("userId")))
        .set(EventField.ANONYMOUS_ID, text(m.get("anonymousId")))
        .set(EventField.GROUP_ID, text(m.get("groupId")))
        .set(EventField.PREVIOUS_ID, text(m.get("previousId")))
        .set(EventField.RECEIVED_AT, receivedAt)
        .set(EventField.SENT_AT, sentAt)
        .set(EventField.ORIGINAL_TIMESTAMP, original)
        .set(EventField.EVENT_TIME, eventTime)
        .set(EventField.PROPERTIES, json(props))
        .set(EventField.TRAITS, json(m.get("traits")))
        .set(EventField.CONTEXT, context)
        .set(EventField.IP, text(context.get("ip")))
        .set(EventField.USER_AGENT, userAgent != null ? userAgent : raw.userAgent())
        .set(EventField.PAGE_URL, firstText(page, pageProps, "url"))
        .set(EventField.PAGE_URLPATH, firstText(page, pageProps, "path"))
        .set(EventField.PAGE_REFERRER, firstText(page, pageProps, "referrer"))
        .set(EventField.PAGE_TITLE, firstText(page, pageProps, "title"))
        .set(EventField.LIBRARY_NAME, library == null ? null : text(library.get("name")))
        .set(EventField.LIBRARY_VERSION, library == null ? null : text(library.get("version")))
        .set(EventField.RAW_ID, requireNonNull(raw.id(), "rawId is null"));
  }

  /**
   * Segment's rule: the client clock may be wrong, but the time between the event and its sending
   * is right, so {@code timestamp = receivedAt − (sentAt − originalTimestamp)}.
   */
  static Instant eventTime(Instant receivedAt, Instant sentAt, Instant original) {
    return EventTimes.derive(receivedAt, sentAt, original, null);
  }

  /** Id for a message that came without one: stable for a given raw record and position. */
  static String derivedId(String rawId, int index) {
    return UUID.nameUUIDFromBytes((rawId + "/" + index).getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static ObjectNode mergedContext(JsonNode own, JsonNode batch) {
    ObjectNode merged = JSON.createObjectNode();
    if (batch != null && batch.isObject()) {
      merged.setAll((ObjectNode) batch);
    }
    if (own != null && own.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = own.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        merged.set(e.getKey(), e.getValue());
      }
    }
    return merged;
  }

  private static String firstText(JsonNode first, JsonNode second, String field) {
    String value = first == null ? null : text(first.get(field));
    return value != null ? value : second == null ? null : text(second.get(field));
  }

  private static Instant time(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isNumber()) {
      return Timestamps.fromEpoch(node.asDouble());
    }
    return node.isTextual() ? Timestamps.parseOrNull(node.asText()) : null;
  }

  private static String text(JsonNode node) {
    if (node == null || node.isNull() || node.isContainerNode()) {
      return null;
    }
    return node.asText();
  }

  private static JsonNode json(JsonNode node) {
    return node == null || node.isNull() ? null : node;
  }
}
