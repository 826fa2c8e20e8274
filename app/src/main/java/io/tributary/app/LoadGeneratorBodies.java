package io.tributary.app;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * The request bodies of one connection. The body is built once as a template; each request copies it
 * and writes a fresh sequence number into every event id, so generating load costs one array copy.
 *
 * <p>Event ids look like version 4 UUIDs: {@code RRRRRRRR-RRRR-4CCC-8SSS-SSSSSSSSSSSS}, 48 bits of the
 * run, 12 of the connection and 60 of the connection's sequence, so they are unique across runs,
 * connections and requests. Not thread-safe: one instance per connection.
 */
final class LoadGeneratorBodies {
  /** One request body, the id of its first event, and how many events it holds. */
  record Body(byte[] bytes, String firstEventId, int events) {}

  static final String PAYLOAD_DATA = "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4";
  private static final int ID_LENGTH = 36;
  /** Where the 15 sequence digits go in an id: after "-8", then the last group. */
  private static final int[] SEQUENCE_POSITIONS =
      {20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35};
  private static final byte[] HEX = "0123456789abcdef".getBytes(US_ASCII);
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final String FILLER = "Thank you for your order, it ships tomorrow. ";
  private static final String USER_AGENT = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
      + "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15";

  private final byte[] template;
  private final int[] idOffsets;
  private final int eventBytes;
  private long sequence;

  private LoadGeneratorBodies(byte[] template, int[] idOffsets, int eventBytes) {
    this.template = template;
    this.idOffsets = idOffsets;
    this.eventBytes = eventBytes;
  }

  /**
   * @param runId distinguishes this run's ids from every other run's (48 bits used)
   * @param now the event and sent timestamps
   */
  static LoadGeneratorBodies create(BenchMode mode, int batch, int eventBytes, long runId,
      int connection, Instant now) {
    String idPrefix = idPrefix(runId, connection);
    int events = mode.eventsPerRequest(batch);
    String time = TIMESTAMP.format(now);
    long millis = now.toEpochMilli();
    BiFunction<Integer, String, String> event = switch (mode) {
      case SNOWPLOW -> (i, pad) -> snowplowEvent(connection * events + i, idPrefix, millis, pad);
      default -> (i, pad) -> segmentEvent(connection * events + i, idPrefix, time, pad);
    };
    StringBuilder body = new StringBuilder(events * (eventBytes + 16) + 128);
    body.append(switch (mode) {
      case SEGMENT_BATCH -> "{\"batch\":[";
      case SNOWPLOW -> "{\"schema\":\"" + PAYLOAD_DATA + "\",\"data\":[";
      case SEGMENT_SINGLE -> "";
    });
    List<Integer> offsets = new ArrayList<>(events);
    int largest = 0;
    for (int i = 0; i < events; i++) {
      int n = i;
      String e = padded(pad -> event.apply(n, pad), eventBytes);
      largest = Math.max(largest, e.length());
      body.append(i == 0 ? "" : ",");
      offsets.add(body.length() + e.indexOf(idPrefix));
      body.append(e);
    }
    body.append(switch (mode) {
      case SEGMENT_BATCH -> "],\"sentAt\":\"" + time + "\"}";
      case SNOWPLOW -> "]}";
      case SEGMENT_SINGLE -> "";
    });
    return new LoadGeneratorBodies(body.toString().getBytes(US_ASCII),
        offsets.stream().mapToInt(Integer::intValue).toArray(), largest);
  }

  /** The next body: the template with the next sequence numbers written into its ids. */
  Body next() {
    byte[] bytes = template.clone();
    for (int offset : idOffsets) {
      long s = sequence++;
      for (int p = SEQUENCE_POSITIONS.length - 1; p >= 0; p--) {
        bytes[offset + SEQUENCE_POSITIONS[p]] = HEX[(int) (s & 0xF)];
        s >>>= 4;
      }
    }
    return new Body(bytes, new String(bytes, idOffsets[0], ID_LENGTH, US_ASCII), idOffsets.length);
  }

  int templateBytes() {
    return template.length;
  }

  /** The size of the largest event: {@code --event-bytes}, unless the bare event is larger. */
  int eventBytes() {
    return eventBytes;
  }

  /** {@code RRRRRRRR-RRRR-4CCC-8}: the part of every id that is fixed for a connection. */
  static String idPrefix(long runId, int connection) {
    String run = String.format("%012x", runId & 0xFFFF_FFFF_FFFFL);
    return run.substring(0, 8) + "-" + run.substring(8) + "-4" + String.format("%03x", connection & 0xFFF)
        + "-8";
  }

  /** The event with its filler field grown to make it {@code eventBytes} long, or as short as it gets. */
  private static String padded(UnaryOperator<String> event, int eventBytes) {
    int fill = eventBytes - event.apply("").length();
    return event.apply(fill <= 0 ? "" : FILLER.repeat(fill / FILLER.length() + 1).substring(0, fill));
  }

  /** The id placeholder: the prefix then zeros (the sequence digits are written per request). */
  private static String placeholder(String idPrefix) {
    return idPrefix + "000-000000000000";
  }

  private static String segmentEvent(int n, String idPrefix, String time, String pad) {
    return "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"user-" + (n % 1000)
        + "\",\"anonymousId\":\"4f1c7a2e-9a51-4c1e-8f11-2b9e0c5f6a77\",\"messageId\":\""
        + placeholder(idPrefix) + "\",\"timestamp\":\"" + time + "\",\"properties\":{\"revenue\":19.99,"
        + "\"currency\":\"EUR\",\"products\":[{\"sku\":\"A-1\",\"qty\":2}],\"note\":\"" + pad + "\""
        + "},\"context\":{\"ip\":\"203.0.113.7\",\"userAgent\":\"" + USER_AGENT + "\",\"page\":{\"url\":"
        + "\"https://shop.example.com/checkout?utm_source=newsletter&utm_medium=email\",\"referrer\":"
        + "\"https://www.google.com/\"},\"library\":{\"name\":\"analytics.js\",\"version\":\"2.1\"}}}";
  }

  /** Alternately a page view and a structured event, with what a JavaScript tracker sends. */
  private static String snowplowEvent(int n, String idPrefix, long millis, String pad) {
    String kind = n % 2 == 0
        ? "\"e\":\"pv\",\"page\":\"Checkout\""
        : "\"e\":\"se\",\"se_ca\":\"checkout\",\"se_ac\":\"add-to-basket\",\"se_la\":\"sku-123\","
            + "\"se_va\":\"19.99\"";
    return "{" + kind + ",\"eid\":\"" + placeholder(idPrefix) + "\",\"tv\":\"js-3.24.0\",\"p\":\"web\","
        + "\"aid\":\"bench\",\"dtm\":\"" + millis + "\",\"stm\":\"" + millis + "\",\"url\":"
        + "\"https://shop.example.com/checkout?utm_source=newsletter&utm_medium=email"
        + "&utm_content=" + pad.replace(' ', '+') + "\",\"refr\":\"https://www.google.com/\","
        + "\"ua\":\"" + USER_AGENT + "\",\"uid\":\"user-" + (n % 1000) + "\",\"duid\":"
        + "\"4f1c7a2e-9a51-4c1e-8f11-2b9e0c5f6a77\",\"sid\":\"0c7c5d7e-2f0a-4a57-9b6e-1d2c3b4a5f60\","
        + "\"lang\":\"en-GB\",\"res\":\"1920x1080\",\"vp\":\"1280x720\",\"tz\":\"Europe/Paris\"}";
  }
}
