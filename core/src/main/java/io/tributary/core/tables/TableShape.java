package io.tributary.core.tables;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The columns of one derived table as they evolve while a batch is fitted into it. Fitting a row
 * adds a nullable column for a new field and widens a column a value needs wider (see {@link
 * TypeRules}); each such step is recorded as a {@link SchemaChange} for the database, to apply before
 * the batch's rows. Values that do not fit, and new fields beyond {@code maxColumns}, come back as
 * {@link Discard}s. Not thread-safe: one loader owns it, and drops it when its transaction rolls
 * back (the recorded columns would then be ahead of the database).
 */
public final class TableShape {
  private final String table;
  private final LinkedHashMap<String, ColumnType> columns;
  private final int maxColumns;
  private final LinkedHashMap<String, SchemaChange> pending = new LinkedHashMap<>();
  private boolean exists;

  private TableShape(String table, Map<String, ColumnType> columns, int maxColumns,
      boolean exists) {
    if (maxColumns < 1) {
      throw new IllegalArgumentException("maxColumns must be positive: " + maxColumns);
    }
    this.table = table;
    this.columns = new LinkedHashMap<>(columns);
    this.maxColumns = maxColumns;
    this.exists = exists;
  }

  /** A table not in the database yet: it is created with every column it has by then. */
  public static TableShape create(TableDef def, int maxColumns) {
    return new TableShape(def.name(), def.fixedColumns(), maxColumns, false);
  }

  /**
   * A table the database has, with these columns in order; fixed columns of {@code def} it lacks
   * (made by an older version) are added.
   */
  public static TableShape existing(TableDef def, Map<String, ColumnType> columns,
      int maxColumns) {
    TableShape shape = new TableShape(def.name(), columns, maxColumns, true);
    def.fixedColumns().forEach((name, type) -> {
      if (!shape.columns.containsKey(name)) {
        shape.add(name, type);
      }
    });
    return shape;
  }

  /** Values by column, and what was discarded, of one fitted row. */
  public record Fitted(Map<String, Object> values, List<Discard> discards) {}

  /** Fits the dynamic fields of one row, evolving the columns as needed. */
  public Fitted fit(List<Field> fields) {
    if (fields.isEmpty()) {
      return new Fitted(Map.of(), List.of());
    }
    Map<String, Object> values = new LinkedHashMap<>(fields.size() * 2);
    List<Discard> discards = List.of();
    for (Field f : fields) {
      String reason = null;
      ColumnType current = columns.get(f.column());
      if (values.containsKey(f.column())) {
        reason = "another field of the event has the same column name";
      } else if (current == null) {
        if (columns.size() >= maxColumns) {
          reason = "table " + table + " has reached its limit of " + maxColumns
              + " columns (warehouse.max_columns_per_table)";
        } else {
          ColumnType type = TypeRules.infer(f.value());
          add(f.column(), type);
          values.put(f.column(), TypeRules.value(f.value(), type));
        }
      } else {
        TypeRules.Fit fit = TypeRules.fit(f.value(), current);
        if (fit instanceof TypeRules.Fits ok) {
          values.put(f.column(), ok.value());
        } else if (fit instanceof TypeRules.Widens w) {
          widen(f.column(), w.to());
          values.put(f.column(), w.value());
        } else {
          reason = ((TypeRules.Rejected) fit).reason();
        }
      }
      if (reason != null) {
        if (discards.isEmpty()) {
          discards = new ArrayList<>(2);
        }
        discards.add(new Discard(table, f.column(), f.value().toString(), reason));
      }
    }
    return new Fitted(values, discards);
  }

  /**
   * Adds the columns a schema declares that the table lacks, while it has room (the rest are left
   * out: their values then meet the column limit in {@link #fit}); widens a BIGINT column declared
   * DOUBLE. A column that exists with another type keeps it: values that do not fit it are
   * discarded, as for any column.
   */
  public void declare(Map<String, ColumnType> declared) {
    declared.forEach((name, type) -> {
      ColumnType own = columns.get(name);
      if (own == null) {
        if (columns.size() < maxColumns) {
          add(name, type);
        }
      } else if (own == ColumnType.BIGINT && type == ColumnType.DOUBLE) {
        widen(name, type);
      }
    });
  }

  /**
   * Takes the dynamic columns of {@code source} (those not in {@code sourceFixed}): missing ones are
   * added, narrower ones widened. A table computed from another (users from identifies) keeps up.
   */
  public void mirror(TableShape source, Set<String> sourceFixed) {
    source.columns.forEach((name, type) -> {
      if (sourceFixed.contains(name)) {
        return;
      }
      ColumnType own = columns.get(name);
      if (own == null) {
        add(name, type);
      } else if (own == ColumnType.BIGINT && type == ColumnType.DOUBLE) {
        widen(name, type);
      }
    });
  }

  private void add(String column, ColumnType type) {
    columns.put(column, type);
    pending.put(column, new SchemaChange(SchemaChange.Kind.ADD_COLUMN, column, type));
  }

  private void widen(String column, ColumnType type) {
    columns.put(column, type);
    SchemaChange before = pending.get(column);
    SchemaChange.Kind kind = before != null && before.kind() == SchemaChange.Kind.ADD_COLUMN
        ? SchemaChange.Kind.ADD_COLUMN : SchemaChange.Kind.WIDEN;
    pending.put(column, new SchemaChange(kind, column, type));
  }

  public String table() {
    return table;
  }

  /** Every column in order, as it will be once the changes are applied. */
  public Map<String, ColumnType> columns() {
    return Collections.unmodifiableMap(columns);
  }

  /** Whether the database has the table (when false, it must be created with {@link #columns}). */
  public boolean exists() {
    return exists;
  }

  /** Changes recorded since the last {@link #applied}, in order. */
  public List<SchemaChange> changes() {
    return List.copyOf(pending.values());
  }

  /** The database now has the table as {@link #columns} describe it. */
  public void applied() {
    pending.clear();
    exists = true;
  }
}
