package io.tributary.core.tables;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * One row an event gives a derived table: values of fixed columns that are not event fields of the
 * same name ({@code event}, {@code name}...; the others come from the event, see {@link
 * SegmentTables#fixedValue}), and the dynamic fields to fit into its evolving columns.
 */
public record DerivedRow(TableDef table, Map<String, Object> fixed, List<Field> fields) {
  public DerivedRow {
    requireNonNull(table, "table is null");
    requireNonNull(fixed, "fixed is null");
    requireNonNull(fields, "fields is null");
  }
}
