package io.tributary.core.tables;

import static java.util.Objects.requireNonNull;

/** A change a table needs before this batch's rows fit: a new nullable column or a wider type. */
public record SchemaChange(Kind kind, String column, ColumnType type) {
  public enum Kind { ADD_COLUMN, WIDEN }

  public SchemaChange {
    requireNonNull(kind, "kind is null");
    requireNonNull(column, "column is null");
    requireNonNull(type, "type is null");
  }
}
