package io.tributary.core;

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

  public static List<CanonicalEvent> normalize(RawRecord raw) {
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
    List<CanonicalEvent> events = new ArrayList<>(batch.size());
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

  private static CanonicalEvent toEvent(
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
    return new CanonicalEvent(
        messageId,
        raw.source(),
        type.wireName(),
        switch (type) {
          case TRACK -> text(m.get("event"));
          case PAGE, SCREEN -> text(m.get("name"));
          default -> null;
        },
        text(m.get("userId")),
        text(m.get("anonymousId")),
        text(m.get("groupId")),
        text(m.get("previousId")),
        receivedAt,
        sentAt,
        original,
        eventTime,
        json(props),
        json(m.get("traits")),
        json(context),
        text(context.get("ip")),
        userAgent != null ? userAgent : raw.userAgent(),
        firstText(page, pageProps, "url"),
        firstText(page, pageProps, "path"),
        firstText(page, pageProps, "referrer"),
        firstText(page, pageProps, "title"),
        library == null ? null : text(library.get("name")),
        library == null ? null : text(library.get("version")),
        raw.id());
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

  private static String json(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    return node.toString();
  }
}
