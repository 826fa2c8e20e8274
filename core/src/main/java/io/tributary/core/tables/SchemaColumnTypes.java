package io.tributary.core.tables;

import java.util.Map;
import java.util.Optional;

/**
 * The typed columns a self-describing JSON's schema declares, for the Snowplow tables (see {@link
 * JsonSchemaColumns} for the mapping). Implementations look schemas up in a registry; the core knows
 * none.
 *
 * <p>Contract: thread-safe; {@link #columns} may block on I/O the first time a schema is asked for,
 * so implementations cache. It never throws: a schema that is unknown, unreadable or whose registry
 * is down gives {@link Optional#empty()}, and the loader then types columns from the values, as it
 * does for Segment properties. The same URI should give the same answer for as long as it is cached.
 */
@FunctionalInterface
public interface SchemaColumnTypes {
  /** Knows no schema: every column is typed from its first value. */
  SchemaColumnTypes NONE = uri -> Optional.empty();

  /**
   * The columns of the schema at {@code schemaUri} ({@code iglu:vendor/name/jsonschema/M-R-A}) by
   * flattened snake_case name, in schema order, before any reserved-name prefix; empty when unknown.
   */
  Optional<Map<String, ColumnType>> columns(String schemaUri);
}
