package io.tributary.lake.iceberg;

import io.tributary.core.EventField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enriched lake table {@code lake.enriched}: one column per {@link EventField} (named and typed
 * as in the warehouse's {@code events} table; JSON as text, timestamps with time zone), plus the Kafka
 * partition and offset each row was read from. Partitioned by the UTC day of {@code event_time} and
 * by {@code event_name}.
 */
public final class EnrichedTable {
  private static final Logger LOG = LoggerFactory.getLogger(EnrichedTable.class);

  public static final TableIdentifier ID = TableIdentifier.of(Namespace.of("lake"), "enriched");
  /** The topic partition a row was read from; the archivers' commits are checked against it. */
  public static final String KAFKA_PARTITION = "_kafka_partition";
  public static final String KAFKA_OFFSET = "_kafka_offset";

  private EnrichedTable() {}

  /** Every column this version writes, in order. Ids are placeholders; the table assigns its own. */
  public static Schema schema() {
    List<Types.NestedField> columns = new ArrayList<>();
    int id = 1;
    for (EventField f : EventField.values()) {
      columns.add(Types.NestedField.optional(id++, f.column(), type(f), f.description()));
    }
    columns.add(Types.NestedField.optional(id++, KAFKA_PARTITION, Types.IntegerType.get(),
        "partition of the enriched topic the row was read from"));
    columns.add(Types.NestedField.optional(id, KAFKA_OFFSET, Types.LongType.get(),
        "offset in that partition"));
    return new Schema(columns);
  }

  static Type type(EventField f) {
    return switch (f.type()) {
      case STRING, JSON -> Types.StringType.get();
      case TIMESTAMP -> Types.TimestampType.withZone();
      case INTEGER -> Types.IntegerType.get();
      case DOUBLE -> Types.DoubleType.get();
      case BOOLEAN -> Types.BooleanType.get();
    };
  }

  static PartitionSpec spec(Schema schema) {
    return PartitionSpec.builderFor(schema)
        .day(EventField.EVENT_TIME.column())
        .identity(EventField.EVENT_NAME.column())
        .build();
  }

  private static Map<String, String> properties() {
    return Map.of(
        TableProperties.FORMAT_VERSION, "2",
        TableProperties.DEFAULT_FILE_FORMAT, "parquet",
        // Exact bounds of the Kafka partition in every file: the commit check depends on them.
        TableProperties.METRICS_MODE_COLUMN_CONF_PREFIX + KAFKA_PARTITION, "full",
        TableProperties.METRICS_MODE_COLUMN_CONF_PREFIX + KAFKA_OFFSET, "full");
  }

  /**
   * Loads the table, creating it (and its namespace) when missing, and adds the columns this version
   * has and the table lacks.
   *
   * @param location where a new table's files go, or null for the catalog's default
   */
  public static Table ensure(Catalog catalog, TableIdentifier id, String location) {
    Table table;
    try {
      table = catalog.loadTable(id);
    } catch (NoSuchTableException e) {
      table = create(catalog, id, location);
    }
    addMissingColumns(table);
    return table;
  }

  private static Table create(Catalog catalog, TableIdentifier id, String location) {
    if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(id.namespace())) {
      try {
        namespaces.createNamespace(id.namespace());
      } catch (RuntimeException e) {
        // Another archiver may have created it first (JDBC catalogs report that as a SQL error).
        if (!namespaces.namespaceExists(id.namespace())) {
          throw e;
        }
      }
    }
    Schema schema = schema();
    try {
      Catalog.TableBuilder builder = catalog.buildTable(id, schema)
          .withPartitionSpec(spec(schema))
          .withProperties(properties());
      if (location != null) {
        builder.withLocation(location);
      }
      Table table = builder.create();
      LOG.info("created Iceberg table {} at {}", id, table.location());
      return table;
    } catch (RuntimeException e) {
      if (e instanceof AlreadyExistsException || catalog.tableExists(id)) {
        return catalog.loadTable(id); // another archiver created it first
      }
      throw e;
    }
  }

  /** Adds missing columns, by Iceberg's rules (new optional columns), retrying a concurrent change. */
  static void addMissingColumns(Table table) {
    for (int attempt = 1; ; attempt++) {
      table.refresh();
      List<Types.NestedField> missing = schema().columns().stream()
          .filter(c -> table.schema().findField(c.name()) == null).toList();
      if (missing.isEmpty()) {
        return;
      }
      try {
        UpdateSchema update = table.updateSchema();
        missing.forEach(c -> update.addColumn(c.name(), c.type(), c.doc()));
        update.commit();
        LOG.info("added columns {} to {}", missing.stream().map(Types.NestedField::name).toList(),
            table.name());
        return;
      } catch (CommitFailedException | IllegalArgumentException e) {
        if (attempt >= 3) {
          throw e;
        }
      }
    }
  }
}
