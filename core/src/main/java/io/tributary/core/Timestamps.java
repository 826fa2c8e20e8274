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
  private static final long MILLIS_THRESHOLD = 10_000_000_000L;

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
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      var parsed = DATE_TIME.parseBest(s, OffsetDateTime::from, LocalDateTime::from);
      if (parsed instanceof OffsetDateTime odt) {
        return odt.toInstant();
      }
      return ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException | ArithmeticException e) {
      return null;
    }
  }

  public static Instant fromEpoch(double value) {
    double millis = Math.abs(value) < MILLIS_THRESHOLD ? value * 1000 : value;
    return Instant.ofEpochMilli((long) millis);
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
