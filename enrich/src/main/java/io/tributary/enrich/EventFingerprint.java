package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tributary.core.ConfigException;
import io.tributary.core.EnrichedEvent;
import io.tributary.core.EventField;
import io.tributary.core.Timestamps;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
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
  private final byte[][] prefixes;
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
    this.prefixes = Arrays.stream(this.fields)
        .map(f -> (f.column() + "=").getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
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
    Text text = scratch.text;
    text.reset();
    for (int i = 0; i < fields.length; i++) {
      Object value = event.get(fields[i]);
      if (value == null) {
        continue;
      }
      text.ascii(prefixes[i]);
      text.value(value);
      text.ascii('\u0001');
    }
    MessageDigest digest = scratch.digest;
    digest.update(text.bytes(), 0, text.length());
    event.set(EventField.EVENT_FINGERPRINT, HexFormat.of().formatHex(digest.digest()));
  }

  /**
   * Looking a digest up per event costs more than hashing, and new text for every event costs its
   * allocation: one of each per thread is reused.
   */
  private final ThreadLocal<Scratch> scratch;

  private static final class Scratch {
    final MessageDigest digest;
    final Text text = new Text();

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
   * Compact JSON with object keys in sorted order, decoded from {@link Text}'s UTF-8: the text the
   * fingerprint hashes, except that a lone surrogate is a '?', which is what its UTF-8 encoding
   * makes of it anyway.
   */
  static String canonicalJson(JsonNode node) {
    Text text = new Text();
    text.canonical(node);
    return new String(text.bytes(), 0, text.length(), StandardCharsets.UTF_8);
  }

  /**
   * The text, written as UTF-8 straight into a reused byte array: exactly the bytes {@code
   * getBytes(UTF_8)} gives of the text as a String, without building that String and copying it
   * twice. Each string is written as its own {@code getBytes(UTF_8)}, which is the same bytes since
   * every string is between ASCII characters (a prefix, a quote, '\u0001'), so no surrogate pair is
   * split.
   */
  static final class Text {
    /** Room for a typical event's text (~2.6 KB) without growing the array. */
    private static final int INITIAL_CAPACITY = 4096;
    private static final int MAX_KEPT_CAPACITY = 64 * 1024;

    private byte[] bytes = new byte[INITIAL_CAPACITY];
    private int length;

    void reset() {
      length = 0;
      if (bytes.length > MAX_KEPT_CAPACITY) {
        bytes = new byte[INITIAL_CAPACITY];
      }
    }

    byte[] bytes() {
      return bytes;
    }

    int length() {
      return length;
    }

    private byte[] room(int n) {
      if (length + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, length + n));
      }
      return bytes;
    }

    void ascii(char c) {
      room(1)[length++] = (byte) c;
    }

    void ascii(byte[] ascii) {
      System.arraycopy(ascii, 0, room(ascii.length), length, ascii.length);
      length += ascii.length;
    }

    /** A value of an event field: a String as it is, JSON canonical, an Instant ISO-8601. */
    void value(Object value) {
      if (value instanceof String string) {
        string(string);
      } else if (value instanceof JsonNode json) {
        canonical(json);
      } else if (value instanceof Instant instant) {
        instant(instant);
      } else {
        string(value.toString());
      }
    }

    /**
     * Any text, as getBytes(UTF_8) encodes it: its own getBytes, which for a string of one byte per
     * character checks and copies them vectorised (faster than a loop over its characters, even for
     * short strings).
     */
    void string(String s) {
      ascii(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Exactly {@link Instant#toString()}. */
    void instant(Instant t) {
      int end = Timestamps.writeIso(t, room(Timestamps.MAX_ISO_LENGTH), length);
      if (end < 0) {
        string(t.toString());
      } else {
        length = end;
      }
    }

    /** Compact JSON with object keys in sorted order; scalars as Jackson writes them. */
    void canonical(JsonNode node) {
      switch (node.getNodeType()) {
        case OBJECT -> object(node);
        case ARRAY -> {
          ascii('[');
          for (int i = 0; i < node.size(); i++) {
            if (i > 0) {
              ascii(',');
            }
            canonical(node.get(i));
          }
          ascii(']');
        }
        case STRING -> jsonString(node.textValue());
        case BOOLEAN -> string(node.booleanValue() ? "true" : "false");
        case NULL -> string("null");
        case NUMBER -> {
          if (node.isInt() || node.isLong()) {
            integer(node.longValue());
          } else if (node.isDouble() && Double.isFinite(node.doubleValue())) {
            // What Jackson's generator writes for a finite double (without its fast-writer feature).
            string(Double.toString(node.doubleValue()));
          } else {
            string(node.toString());
          }
        }
        default -> string(node.toString());
      }
    }

    /** {@code Long.toString(v)}. */
    private void integer(long v) {
      if (v == Long.MIN_VALUE) {
        string(Long.toString(v));
        return;
      }
      byte[] b = room(20);
      if (v < 0) {
        b[length++] = '-';
        v = -v;
      }
      int digits = 1;
      for (long limit = 10; digits < 19 && v >= limit; limit *= 10) {
        digits++;
      }
      for (int i = length + digits - 1; i >= length; i--) {
        b[i] = (byte) ('0' + v % 10);
        v /= 10;
      }
      length += digits;
    }

    private static final int SMALL_OBJECT = 16;

    /**
     * An object's entries by key: nearly all objects have at most {@value #SMALL_OBJECT}, sorted by
     * insertion into two arrays, without a list of entries and a comparator; larger ones are sorted
     * as a list.
     */
    private void object(JsonNode node) {
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
      ascii('{');
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          ascii(',');
        }
        jsonString(keys[i]);
        ascii(':');
        canonical(values[i]);
      }
      ascii('}');
    }

    /**
     * A JSON string literal, exactly as Jackson writes it: the string's UTF-8 quoted when that is
     * ASCII without anything Jackson escapes (a lone surrogate is a '?' either way); else as before.
     */
    private void jsonString(String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      if (anyEscapedOrNonAscii(utf8)) {
        jsonStringSlow(s);
        return;
      }
      byte[] b = room(utf8.length + 2);
      b[length] = '"';
      System.arraycopy(utf8, 0, b, length + 1, utf8.length);
      b[length + utf8.length + 1] = '"';
      length += utf8.length + 2;
    }

    private static final VarHandle LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LOWS = 0x7f7f7f7f7f7f7f7fL;

    /** Whether any byte is a control, a quote, a backslash, DEL or non-ASCII; 8 bytes at a time. */
    static boolean anyEscapedOrNonAscii(byte[] b) {
      int i = 0;
      for (; i + 8 <= b.length; i += 8) {
        long x = (long) LONGS.get(b, i);
        // The high bit of a byte is set (non-ASCII), or carried in by adding 1 to its low 7 bits
        // (DEL), or borrowed by subtracting (a control, or '"' or '\\' once xored to zero).
        long del = (x & LOWS) + ONES;
        long special = x | del | below(x, 0x20) | below(x ^ (ONES * '"'), 1)
            | below(x ^ (ONES * '\\'), 1);
        if ((special & HIGHS) != 0) {
          return true;
        }
      }
      for (; i < b.length; i++) {
        byte c = b[i];
        if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) { // negative: non-ASCII
          return true;
        }
      }
      return false;
    }

    private static long below(long x, int n) {
      return (x - ONES * n) & ~x;
    }

    private void jsonStringSlow(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f && c <= 0x9f || c == 0x2028
            || c == 0x2029) {
          string(TextNode.valueOf(s).toString());
          return;
        }
      }
      ascii('"');
      string(s);
      ascii('"');
    }
  }
}
