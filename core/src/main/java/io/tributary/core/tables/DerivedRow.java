package io.tributary.core.tables;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * One row an event gives a derived table: values of fixed columns that are not event fields of the
 * same name ({@code event}, {@code name}...; the others come from the event, see {@link
 * SegmentTables#fixedValue}), and the dynamic fields to fit into its evolving columns.
 *
 * @param declared dynamic columns the row's schema declares (see {@link JsonSchemaColumns}), to be
 *     created before its fields are fitted, even those the row has no value for; empty when the
 *     schema is unknown
 * @param discards values that did not make it into {@code fields} (a declared table's value that
 *     cannot be cast to its column's type)
 */
public record DerivedRow(TableDef table, Map<String, Object> fixed, List<Field> fields,
    Map<String, ColumnType> declared, List<Discard> discards) {
  public DerivedRow {
    requireNonNull(table, "table is null");
    requireNonNull(fixed, "fixed is null");
    requireNonNull(fields, "fields is null");
    requireNonNull(declared, "declared is null");
    requireNonNull(discards, "discards is null");
  }

  public DerivedRow(TableDef table, Map<String, Object> fixed, List<Field> fields,
      Map<String, ColumnType> declared) {
    this(table, fixed, fields, declared, List.of());
  }

  /** A row whose columns are all typed from values. */
  public DerivedRow(TableDef table, Map<String, Object> fixed, List<Field> fields) {
    this(table, fixed, fields, Map.of());
  }
}
