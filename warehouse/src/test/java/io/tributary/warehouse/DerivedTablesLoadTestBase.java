package io.tributary.warehouse;

import static io.tributary.warehouse.Segment.batch;
import static io.tributary.warehouse.Segment.record;

import io.tributary.core.ManualClock;
import io.tributary.core.SourcedRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the derived-table load tests share: a fresh warehouse per test, loaders on partition 0 that
 * are closed after it, records at consecutive offsets, and queries on the result.
 */
abstract class DerivedTablesLoadTestBase {
  @TempDir Path dir;
  final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
  DuckDbWarehouse warehouse;
  final List<EventLoader> loaders = new ArrayList<>();
  long offset;

  @BeforeEach
  void openWarehouse() {
    warehouse = DuckDbWarehouse.open(dir.resolve("warehouse.duckdb"));
  }

  @AfterEach
  void closeWarehouse() {
    loaders.forEach(EventLoader::close);
    warehouse.close();
  }

  /** Opens partition 0 on the loader, which the test's end closes. */
  EventLoader opened(EventLoader loader) {
    loader.open(List.of(0));
    loaders.add(loader);
    return loader;
  }

  /** A raw record of these Segment messages at the next offset. */
  SourcedRecord next(String... messages) {
    return record(0, offset++, "raw-" + offset, batch(messages));
  }

  static void load(EventLoader loader, SourcedRecord... records) {
    loader.write(List.of(records));
    loader.flush(true);
  }

  List<List<String>> query(String sql) throws SQLException {
    try (Connection c = warehouse.newConnection()) {
      return Segment.rows(c, sql);
    }
  }

  /** The table's columns as {@code "name TYPE"}, in order. */
  List<String> columns(String table) throws SQLException {
    return query("SELECT column_name || ' ' || data_type FROM information_schema.columns"
        + " WHERE table_name = '" + table + "' ORDER BY ordinal_position").stream()
        .map(r -> r.get(0)).toList();
  }

  static List<String> row(String... values) {
    return Arrays.asList(values);
  }

  void execute(String sql) throws SQLException {
    try (Connection c = warehouse.newConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
