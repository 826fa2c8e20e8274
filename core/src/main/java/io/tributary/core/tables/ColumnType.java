package io.tributary.core.tables;

import java.util.Locale;

/**
 * Types of derived-table columns, with their DuckDB names. Java values: BOOLEAN {@code Boolean},
 * BIGINT {@code Long}, DOUBLE {@code Double} (a {@code Long} is accepted too: see {@link
 * TypeRules#fit}), VARCHAR and JSON {@code String}, TIMESTAMP whatever the loader reads timestamps
 * as (fixed columns only).
 */
public enum ColumnType {
  BOOLEAN,
  BIGINT,
  DOUBLE,
  VARCHAR,
  JSON,
  TIMESTAMP;

  public String sql() {
    return name();
  }

  /**
   * The type of a column as the database reports it; narrower integer and floating types count as
   * BIGINT and DOUBLE, anything else unknown as VARCHAR.
   */
  public static ColumnType ofSql(String sqlType) {
    String t = sqlType.toUpperCase(Locale.ROOT);
    return switch (t) {
      case "BOOLEAN" -> BOOLEAN;
      case "BIGINT", "INTEGER", "SMALLINT", "TINYINT" -> BIGINT;
      case "DOUBLE", "FLOAT", "REAL" -> DOUBLE;
      case "JSON" -> JSON;
      default -> t.startsWith("TIMESTAMP") ? TIMESTAMP : VARCHAR;
    };
  }
}
