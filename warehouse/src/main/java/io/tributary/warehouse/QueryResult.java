package io.tributary.warehouse;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Rows of a query, values converted to JSON-friendly Java types (String, Number, Boolean, null).
 *
 * @param truncated true when more rows existed than the row limit allowed
 */
public record QueryResult(List<String> columns, List<List<Object>> rows, boolean truncated) {
  public QueryResult {
    requireNonNull(columns, "columns is null");
    requireNonNull(rows, "rows is null");
  }
}
