package io.tributary.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Reads an enriched-event JSON line (the enriched topic's format) straight into column values,
 * indexed by {@link EventField#ordinal()}: JSON columns are sliced out as text instead of being built
 * into a tree and written back, which was most of the DuckDB loader's and the Iceberg archiver's
 * per-row cost.
 */
public final class EnrichedRow {
  private static final JsonFactory JSON = new JsonFactory();
  private static final EventField[] FIELDS = EventField.values();

  private EnrichedRow() {}

  /**
   * Values: STRING and JSON as {@code String}, TIMESTAMP as UTC {@code LocalDateTime}, INTEGER,
   * DOUBLE, BOOLEAN boxed; null when absent.
   *
   * @throws BadRequestException when the line is not an enriched event
   */
  public static Object[] decode(byte[] line) {
    Object[] row = new Object[FIELDS.length];
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadRequestException("enriched event is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        EventField field = EventField.ofColumn(p.currentName());
        JsonToken token = p.nextToken();
        if (field == null || token == JsonToken.VALUE_NULL) {
          p.skipChildren();
          continue;
        }
        row[field.ordinal()] = switch (field.type()) {
          case STRING -> p.getText();
          case TIMESTAMP -> utc(p.getText());
          case INTEGER -> p.getIntValue();
          case DOUBLE -> p.getDoubleValue();
          case BOOLEAN -> p.getBooleanValue();
          case JSON -> jsonText(p, token, line);
        };
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof BadRequestException b) {
        throw b;
      }
      throw new BadRequestException("unreadable enriched event: " + e.getMessage());
    }
    if (row[EventField.EVENT_ID.ordinal()] == null) {
      throw new BadRequestException("enriched event has no event_id");
    }
    return row;
  }

  private static String jsonText(JsonParser p, JsonToken token, byte[] line) throws IOException {
    int from = (int) p.currentTokenLocation().getByteOffset();
    if (token.isStructStart()) {
      p.skipChildren();
    } else {
      p.finishToken();
    }
    int to = (int) p.currentLocation().getByteOffset();
    return new String(line, from, to - from, StandardCharsets.UTF_8);
  }

  /**
   * {@code Instant.toString()} output ({@code 2026-11-22T14:53:00.123456Z}) read without a formatter,
   * which was a measurable share of the loader's time; anything else goes through {@link
   * Instant#parse}.
   */
  public static LocalDateTime utc(String s) {
    int n = s.length();
    if (n >= 20 && n <= 30 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T'
        && s.charAt(13) == ':' && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z'
        && (n == 20 || s.charAt(19) == '.')) {
      int nanos = 0;
      if (n > 20) {
        int digits = n - 21;
        nanos = digits(s, 20, n - 1);
        for (int i = digits; i < 9; i++) {
          nanos *= 10;
        }
      }
      try {
        return LocalDateTime.of(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10),
            digits(s, 11, 13), digits(s, 14, 16), digits(s, 17, 19), nanos);
      } catch (RuntimeException e) {
        // not a valid date after all: let Instant.parse name the problem
      }
    }
    return LocalDateTime.ofInstant(Instant.parse(s), ZoneOffset.UTC);
  }

  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new NumberFormatException("not a digit in " + s);
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
