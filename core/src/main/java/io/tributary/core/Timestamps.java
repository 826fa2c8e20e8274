package io.tributary.core;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
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
