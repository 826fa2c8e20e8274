package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tributary.core.ConfigException;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EVENT_FINGERPRINT: a lowercase hex hash (SHA-256 by default, or MD5) of the chosen fields, to
 * spot duplicates that carry different event ids.
 *
 * <p>Encoding, stable across runs and JVMs: for each chosen field that is set, in {@link EventField}
 * declaration order (whatever the configured order), {@code column=value} followed by '\u0001'.
 * Values are their text (timestamps ISO-8601, numbers {@code toString}); JSON is written compactly
 * with object keys sorted. Absent fields are left out, so absent and empty differ.
 *
 * <p>{@link #DEFAULT_FIELDS}: every field except EVENT_ID, RECEIVED_AT, RAW_ID and
 * EVENT_FINGERPRINT — the ones that differ between two deliveries of the same event. Run it last,
 * after the other enrichments (their outputs derive from the inputs, so duplicates still match).
 */
public final class EventFingerprint implements Enrichment {
  public static final List<EventField> DEFAULT_FIELDS;

  static {
    Set<EventField> fields = EnumSet.allOf(EventField.class);
    fields.removeAll(EnumSet.of(EventField.EVENT_ID, EventField.RECEIVED_AT, EventField.RAW_ID,
        EventField.EVENT_FINGERPRINT));
    DEFAULT_FIELDS = List.copyOf(fields);
  }

  private final EventField[] fields;
  /** "column=" of each of {@link #fields}. */
  private final String[] prefixes;
  private final String algorithm;

  public EventFingerprint(List<EventField> fields, String algorithm) {
    requireNonNull(fields, "fields is null");
    requireNonNull(algorithm, "algorithm is null");
    if (fields.isEmpty()) {
      throw new ConfigException("fingerprint.fields must not be empty");
    }
    if (fields.contains(EventField.EVENT_FINGERPRINT)) {
      throw new ConfigException("fingerprint.fields must not contain event_fingerprint itself");
    }
    if (!algorithm.equals("SHA-256") && !algorithm.equals("MD5")) {
      throw new ConfigException("fingerprint.algorithm must be SHA-256 or MD5, got " + algorithm);
    }
    this.fields = EnumSet.copyOf(fields).toArray(new EventField[0]);
    this.algorithm = algorithm;
    newDigest();
    this.prefixes = Arrays.stream(this.fields).map(f -> f.column() + "=").toArray(String[]::new);
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(newDigest()));
  }

  /** SHA-256 over {@link #DEFAULT_FIELDS}. */
  public EventFingerprint() {
    this(DEFAULT_FIELDS, "SHA-256");
  }

  @Override
  public String name() {
    return "event_fingerprint";
  }

  @Override
  public void enrich(EnrichedEvent event) {
    Scratch scratch = this.scratch.get();
    StringBuilder text = scratch.text;
    text.setLength(0);
    for (int i = 0; i < fields.length; i++) {
      Object value = event.get(fields[i]);
      if (value == null) {
        continue;
      }
      text.append(prefixes[i]);
      if (value instanceof String string) {
        text.append(string);
      } else if (value instanceof JsonNode json) {
        appendCanonical(text, json);
      } else if (value instanceof Instant instant) {
        appendInstant(text, instant);
      } else {
        text.append(value);
      }
      text.append('\u0001');
    }
    String encoded = text.toString();
    byte[] bytes = encoded.getBytes(StandardCharsets.UTF_8);
    if (bytes.length != encoded.length() || text.capacity() > MAX_KEPT_CAPACITY) {
      // Not all ASCII: the builder may have switched to two bytes per character for good.
      scratch.text = new StringBuilder(INITIAL_CAPACITY);
    }
    byte[] hash = scratch.digest.digest(bytes);
    event.set(EventField.EVENT_FINGERPRINT, HexFormat.of().formatHex(hash));
  }

  /** Room for a typical event's text (~2.5 KB) without growing the builder copy by copy. */
  private static final int INITIAL_CAPACITY = 4096;
  private static final int MAX_KEPT_CAPACITY = 64 * 1024;

  /**
   * Looking a digest up per event costs more than hashing, and a new builder for every event
   * costs its allocation: one of each per thread is reused.
   */
  private final ThreadLocal<Scratch> scratch;

  private static final class Scratch {
    final MessageDigest digest;
    StringBuilder text = new StringBuilder(INITIAL_CAPACITY);

    Scratch(MessageDigest digest) {
      this.digest = digest;
    }
  }

  private MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new ConfigException("fingerprint.algorithm " + algorithm + " is not available", e);
    }
  }

  /**
   * Exactly {@link Instant#toString()} (ISO-8601, seconds always, fraction in groups of three
   * digits, 'Z'), written without its DateTimeFormatter for years 0 to 9999.
   */
  static void appendInstant(StringBuilder out, Instant t) {
    long seconds = t.getEpochSecond();
    if (seconds < YEAR_0 || seconds >= YEAR_10000) {
      out.append(t);
      return;
    }
    LocalDateTime ldt = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    pad(out, ldt.getYear(), 4).append('-');
    pad(out, ldt.getMonthValue(), 2).append('-');
    pad(out, ldt.getDayOfMonth(), 2).append('T');
    pad(out, ldt.getHour(), 2).append(':');
    pad(out, ldt.getMinute(), 2).append(':');
    pad(out, ldt.getSecond(), 2);
    int nanos = t.getNano();
    if (nanos > 0) {
      out.append('.');
      if (nanos % 1_000_000 == 0) {
        pad(out, nanos / 1_000_000, 3);
      } else if (nanos % 1000 == 0) {
        pad(out, nanos / 1000, 6);
      } else {
        pad(out, nanos, 9);
      }
    }
    out.append('Z');
  }

  private static final long YEAR_0 = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
  private static final long YEAR_10000 = LocalDate.of(10_000, 1, 1).toEpochDay() * 86_400;

  private static StringBuilder pad(StringBuilder out, int value, int width) {
    for (int limit = 10, digits = 1; digits < width; limit *= 10, digits++) {
      if (value < limit) {
        out.append('0');
      }
    }
    return out.append(value);
  }

  /** Compact JSON with object keys in sorted order; scalars as Jackson writes them. */
  static void appendCanonical(StringBuilder out, JsonNode node) {
    if (node.isObject()) {
      appendObject(out, node);
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        appendCanonical(out, node.get(i));
      }
      out.append(']');
    } else if (node.isTextual()) {
      appendString(out, node.textValue());
    } else if (node.isInt() || node.isLong() || node.isBoolean() || node.isNull()) {
      out.append(node.asText());
    } else if (node.isDouble() && Double.isFinite(node.doubleValue())) {
      // What Jackson's generator writes for a finite double (without its fast-writer feature).
      out.append(Double.toString(node.doubleValue()));
    } else {
      out.append(node.toString());
    }
  }

  private static final int SMALL_OBJECT = 16;

  /**
   * An object's entries by key: nearly all objects have at most {@value #SMALL_OBJECT}, sorted by
   * insertion into two arrays, without a list of entries and a comparator; larger ones are sorted
   * as a list.
   */
  private static void appendObject(StringBuilder out, JsonNode node) {
    int n = node.size();
    String[] keys = new String[n];
    JsonNode[] values = new JsonNode[n];
    if (n <= SMALL_OBJECT) {
      int count = 0;
      for (Map.Entry<String, JsonNode> entry : node.properties()) {
        String key = entry.getKey();
        int j = count++;
        for (; j > 0 && keys[j - 1].compareTo(key) > 0; j--) {
          keys[j] = keys[j - 1];
          values[j] = values[j - 1];
        }
        keys[j] = key;
        values[j] = entry.getValue();
      }
    } else {
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(node.properties());
      entries.sort(Map.Entry.comparingByKey());
      for (int i = 0; i < n; i++) {
        keys[i] = entries.get(i).getKey();
        values[i] = entries.get(i).getValue();
      }
    }
    out.append('{');
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.append(',');
      }
      appendString(out, keys[i]);
      out.append(':');
      appendCanonical(out, values[i]);
    }
    out.append('}');
  }

  /** A JSON string literal, exactly as Jackson writes it; Jackson itself only when escaping is needed. */
  private static void appendString(StringBuilder out, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029) {
        out.append(TextNode.valueOf(s).toString());
        return;
      }
    }
    out.append('"').append(s).append('"');
  }
}
