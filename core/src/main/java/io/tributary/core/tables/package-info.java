/**
 * Derived analytics tables as plain Java: naming of tables and columns, flattening of JSON objects
 * into columns, column types and how they widen, and the evolving shape of a table. No database
 * types here; the warehouse turns the {@link io.tributary.core.tables.SchemaChange}s and values into
 * DDL and appends.
 */
package io.tributary.core.tables;
