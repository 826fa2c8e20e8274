package io.tributary.core.tables;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A derived table's fixed part: its name, the columns every row has (in order), and the prefix a
 * dynamic column takes when its name equals a reserved one.
 *
 * @param reserved names dynamic columns may not take: the fixed columns and any {@code extra}
 */
public record TableDef(String name, Map<String, ColumnType> fixedColumns, String prefix,
    Set<String> reserved) {
  public TableDef {
    requireNonNull(name, "name is null");
    fixedColumns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fixedColumns));
    requireNonNull(prefix, "prefix is null");
    reserved = Set.copyOf(reserved);
  }

  public TableDef(String name, Map<String, ColumnType> fixedColumns, String prefix) {
    this(name, fixedColumns, prefix, fixedColumns.keySet());
  }
}
