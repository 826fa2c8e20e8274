package io.tributary.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Parses the timestamps real SDKs send: ISO-8601 with {@code Z}, {@code +01:00}, {@code +0100} or
 * {@code +01}, with or without fraction (any precision), {@code T} or a space between date and time,
 * no zone (read as UTC), a bare date, and epoch seconds or milliseconds as numbers or strings.
 */
public final class Timestamps {
  private static final DateTimeFormatter DATE_TIME =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .optionalStart().appendLiteral('T').optionalEnd()
          .optionalStart().appendLiteral(' ').optionalEnd()
          .appendValue(ChronoField.HOUR_OF_DAY, 2)
          .appendLiteral(':')
          .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
          .optionalStart()
          .appendLiteral(':')
          .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .optionalEnd()
          .optionalStart().appendLiteral(' ').optionalEnd()
          .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
          .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
          .optionalStart().appendOffset("+HH", "Z").optionalEnd()
          .toFormatter();

  /** Epoch values below this are seconds, above it milliseconds (year 2286 in seconds). */
  private static final double MILLIS_THRESHOLD = 1e10;
  /** Above this, microseconds; above {@link #NANOS_THRESHOLD}, nanoseconds (both year 2286). */
  private static final double MICROS_THRESHOLD = 1e13 * 1000;
  private static final double NANOS_THRESHOLD = 1e16 * 1000;
  /** Instants outside years 1..9999 are not real event times (and overflow warehouses). */
  static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
  static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

  private Timestamps() {}

  /** Returns the instant, or {@code null} for null, blank or unparseable input. */
  public static Instant parseOrNull(String text) {
    if (text == null) {
      return null;
    }
    String s = text.strip();
    if (s.isEmpty()) {
      return null;
    }
    Instant common = parseCommonIso(s);
    if (common != null) {
      return inRange(common);
    }
    return parseGeneral(s);
  }

  /** {@link #parseOrNull} without its fast path, for stripped non-empty text. */
  static Instant parseGeneral(String s) {
    try {
      if (isNumber(s)) {
        return fromEpoch(Double.parseDouble(s));
      }
      if (s.length() == 10) {
        return inRange(LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant());
      }
      var parsed = DATE_TIME.parseBest(s, OffsetDateTime::from, LocalDateTime::from);
      if (parsed instanceof OffsetDateTime odt) {
        return inRange(odt.toInstant());
      }
      return inRange(((LocalDateTime) parsed).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException | ArithmeticException e) {
      return null;
    }
  }

  /**
   * Reads an epoch number in seconds, milliseconds, microseconds or nanoseconds (told apart by
   * magnitude); null when it is not a plausible time.
   */
  public static Instant fromEpoch(double value) {
    double abs = Math.abs(value);
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return null;
    }
    double millis;
    if (abs < MILLIS_THRESHOLD) {
      millis = value * 1000;
    } else if (abs < MICROS_THRESHOLD) {
      millis = value;
    } else if (abs < NANOS_THRESHOLD) {
      millis = value / 1000;
    } else {
      millis = value / 1_000_000;
    }
    if (Math.abs(millis) > 253_402_300_799_999d) {
      return null;
    }
    return inRange(Instant.ofEpochMilli((long) millis));
  }

  /**
   * What SDKs send nearly always, {@code 2024-05-01T10:00:00.123Z} or with {@code ±HH:MM}: read
   * without {@link #DATE_TIME}, whose optional sections cost about as much as the rest of a Segment
   * event's normalisation. Null for any other shape or an out-of-range field, left to the formatter; the
   * same instant as the formatter otherwise (before the range check).
   */
  static Instant parseCommonIso(String s) {
    int n = s.length();
    if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59
        || day > Month.of(month).length(Year.isLeap(year))) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (s.charAt(i) == '.') {
      int from = ++i;
      while (i < n && i - from < 10 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        nanos = nanos * 10 + (s.charAt(i++) - '0');
      }
      int count = i - from;
      if (count == 0 || count > 9) {
        return null;
      }
      for (int k = count; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int offsetHours = digits(s, i + 1, i + 3);
      int offsetMinutes = digits(s, i + 4, i + 6);
      if (offsetHours < 0 || offsetHours > 17 || offsetMinutes < 0 || offsetMinutes > 59) {
        return null;
      }
      offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
    } else {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    long seconds = epochDay * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds;
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /** The longest text {@link #writeIso} writes: {@code 9999-12-31T23:59:59.999999999Z}. */
  public static final int MAX_ISO_LENGTH = 30;

  private static final long YEAR_0 = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
  private static final long YEAR_10000 = LocalDate.of(10_000, 1, 1).toEpochDay() * 86_400;

  /**
   * Exactly {@link Instant#toString()} (ISO-8601 in UTC, seconds always, a fraction in groups of
   * three digits, 'Z'), written without its formatter for years 0 to 9999.
   */
  public static String toIsoString(Instant t) {
    byte[] out = new byte[MAX_ISO_LENGTH];
    int end = writeIso(t, out, 0);
    return end < 0 ? t.toString() : new String(out, 0, end, StandardCharsets.ISO_8859_1);
  }

  /**
   * Writes the ASCII of {@link Instant#toString()} at {@code out[at]}, which needs room for {@link
   * #MAX_ISO_LENGTH} bytes, and returns the index after it; or returns -1, writing nothing, for an
   * instant outside years 0 to 9999 (where {@code Instant.toString} signs the year).
   */
  public static int writeIso(Instant t, byte[] out, int at) {
    long seconds = t.getEpochSecond();
    if (seconds < YEAR_0 || seconds >= YEAR_10000) {
      return -1;
    }
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
    int secondOfDay = (int) Math.floorMod(seconds, 86_400);
    int i = digits(out, at, date.getYear(), 4);
    out[i++] = '-';
    i = digits(out, i, date.getMonthValue(), 2);
    out[i++] = '-';
    i = digits(out, i, date.getDayOfMonth(), 2);
    out[i++] = 'T';
    i = digits(out, i, secondOfDay / 3600, 2);
    out[i++] = ':';
    i = digits(out, i, secondOfDay / 60 % 60, 2);
    out[i++] = ':';
    i = digits(out, i, secondOfDay % 60, 2);
    int nanos = t.getNano();
    if (nanos > 0) {
      out[i++] = '.';
      if (nanos % 1_000_000 == 0) {
        i = digits(out, i, nanos / 1_000_000, 3);
      } else if (nanos % 1000 == 0) {
        i = digits(out, i, nanos / 1000, 6);
      } else {
        i = digits(out, i, nanos, 9);
      }
    }
    out[i++] = 'Z';
    return i;
  }

  /** {@code value} (non-negative, below 10^width) in {@code width} digits at out[at]; the index after. */
  private static int digits(byte[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    return at + width;
  }

  /** The ASCII digits s[from, to) as a number, or -1. */
  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static Instant inRange(Instant t) {
    return t.isBefore(MIN) || t.isAfter(MAX) ? null : t;
  }

  private static boolean isNumber(String s) {
    int i = s.charAt(0) == '-' ? 1 : 0;
    if (i == s.length()) {
      return false;
    }
    boolean dot = false;
    boolean digit = false;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.' && !dot) {
        dot = true;
      } else if (c >= '0' && c <= '9') {
        digit = true;
      } else {
        return false;
      }
    }
    return digit;
  }
}
