package io.tributary.core;

/** Column types of the canonical event, with their warehouse (DuckDB) SQL names. */
public enum FieldType {
  STRING("VARCHAR"),
  TIMESTAMP("TIMESTAMP"),
  INTEGER("INTEGER"),
  DOUBLE("DOUBLE"),
  BOOLEAN("BOOLEAN"),
  JSON("JSON");

  private final String sql;

  FieldType(String sql) {
    this.sql = sql;
  }

  public String sql() {
    return sql;
  }
}
