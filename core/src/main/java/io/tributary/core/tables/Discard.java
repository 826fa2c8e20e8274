package io.tributary.core.tables;

import static java.util.Objects.requireNonNull;

/**
 * A value that did not go into its table: it did not fit the column's type, or the table had no room
 * for another column. The rest of the event loads.
 *
 * @param value the value as JSON text (a string keeps its quotes)
 */
public record Discard(String table, String column, String value, String reason) {
  public Discard {
    requireNonNull(table, "table is null");
    requireNonNull(column, "column is null");
    requireNonNull(value, "value is null");
    requireNonNull(reason, "reason is null");
  }
}
