package io.tributary.core.tables;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a JSON value gets a column type, and whether it fits a column that already has one. The
 * lattice is small on purpose:
 *
 * <ul>
 *   <li>new column: boolean → BOOLEAN, integer → BIGINT (DOUBLE beyond 64 bits), other number →
 *       DOUBLE, string → VARCHAR, array (or an object nested deeper than flattening goes) → JSON;
 *   <li>widening: BIGINT → DOUBLE when a non-integer number arrives; nothing else widens;
 *   <li>declared safe coercions: an integer into DOUBLE; a number or boolean into VARCHAR as its JSON
 *       text; anything into JSON as its JSON text;
 *   <li>a string holding an ISO-8601 time into TIMESTAMP (only declared tables have such columns);
 *   <li>everything else (a string into BIGINT, a number into BOOLEAN, an array into VARCHAR...) does
 *       not fit: the value is discarded, the column keeps its type. No column ever turns VARCHAR.
 * </ul>
 */
public final class TypeRules {
  private TypeRules() {}

  /** The type of a new column for this value; null for JSON null. */
  public static ColumnType infer(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return null;
    }
    if (v.isBoolean()) {
      return ColumnType.BOOLEAN;
    }
    if (v.isNumber()) {
      return isLong(v) ? ColumnType.BIGINT : ColumnType.DOUBLE;
    }
    if (v.isTextual()) {
      return ColumnType.VARCHAR;
    }
    return ColumnType.JSON;
  }

  private static boolean isLong(JsonNode v) {
    return v.isIntegralNumber() && v.canConvertToLong();
  }

  /** What happens to a value offered to a column of type {@code column}. */
  public sealed interface Fit {}

  /** It fits: the column keeps its type. */
  public record Fits(Object value) implements Fit {}

  /** It fits once the column is widened to {@code to}. */
  public record Widens(ColumnType to, Object value) implements Fit {}

  /** It does not fit; {@code reason} says why. */
  public record Rejected(String reason) implements Fit {}

  public static Fit fit(JsonNode v, ColumnType column) {
    ColumnType own = infer(v);
    if (own == column) {
      return new Fits(value(v, column));
    }
    return switch (column) {
      case JSON -> new Fits(v.toString());
      case VARCHAR -> own == ColumnType.JSON ? rejected(v, column) : new Fits(v.toString());
      case DOUBLE -> own == ColumnType.BIGINT ? new Fits(v.doubleValue()) : rejected(v, column);
      case BIGINT -> own == ColumnType.DOUBLE
          ? new Widens(ColumnType.DOUBLE, v.doubleValue()) : rejected(v, column);
      case TIMESTAMP -> v.isTextual() && instantOrNull(v.textValue()) != null
          ? new Fits(instantOrNull(v.textValue())) : rejected(v, column);
      case BOOLEAN -> rejected(v, column);
    };
  }

  /**
   * The instant an ISO-8601 string names: with {@code Z} or an offset ({@code
   * 2026-11-22T10:00:00+01:00}), or without one, read as UTC; null if it is none of these. Only
   * declared tables have TIMESTAMP columns that take values.
   */
  public static java.time.Instant instantOrNull(String s) {
    try {
      return java.time.OffsetDateTime.parse(s).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      try {
        return java.time.LocalDateTime.parse(s).toInstant(java.time.ZoneOffset.UTC);
      } catch (java.time.format.DateTimeParseException again) {
        return null;
      }
    }
  }

  /** The Java value of a JSON value in a column of its own {@link #infer inferred} type. */
  public static Object value(JsonNode v, ColumnType type) {
    return switch (type) {
      case BOOLEAN -> v.booleanValue();
      case BIGINT -> v.longValue();
      case DOUBLE -> v.doubleValue();
      case VARCHAR -> v.isTextual() ? v.textValue() : v.toString();
      case JSON -> v.toString();
      case TIMESTAMP -> throw new IllegalArgumentException("no JSON value is inferred TIMESTAMP");
    };
  }

  private static Rejected rejected(JsonNode v, ColumnType column) {
    return new Rejected(kind(v) + " does not fit column type " + column.sql());
  }

  static String kind(JsonNode v) {
    if (v.isTextual()) {
      return "a string";
    }
    if (v.isBoolean()) {
      return "a boolean";
    }
    if (v.isNumber()) {
      return isLong(v) ? "an integer" : "a number";
    }
    return v.isArray() ? "an array" : "an object";
  }
}
