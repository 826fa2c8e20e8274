package io.tributary.warehouse;

import io.tributary.core.BadRow;
import io.tributary.core.BadRowCodec;
import io.tributary.core.Json;
import io.tributary.core.SourcedRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.duckdb.DuckDBAppender;

/**
 * Loads the bad topic into {@code bad_events}: one row per failure, with its reasons and the raw
 * record it came from (queryable as JSON, and what {@code replay bad} re-injects). Exactly once.
 */
public final class BadRowLoader extends MicroBatchLoader<BadRow> {
  static final String COLUMNS = """
      id VARCHAR NOT NULL PRIMARY KEY,
      type VARCHAR NOT NULL,
      processor VARCHAR NOT NULL,
      failure_time TIMESTAMP NOT NULL,
      messages JSON,
      source VARCHAR,
      raw_id VARCHAR,
      received_at TIMESTAMP,
      replay_id VARCHAR,
      raw JSON""";

  public BadRowLoader(DuckDbWarehouse warehouse, LoaderSettings settings, Clock clock) {
    super(warehouse, settings, clock, "bad_events",
        COLUMNS.replace(" NOT NULL PRIMARY KEY", "").replace(" NOT NULL", ""));
  }

  static void createTable(Connection conn) throws SQLException {
    try (Statement st = conn.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS bad_events (" + COLUMNS
          + ",\n  loaded_at TIMESTAMP NOT NULL)");
    }
  }

  @Override
  List<BadRow> decode(SourcedRecord record) {
    return List.of(BadRowCodec.decode(record.value()));
  }

  @Override
  String idOf(BadRow row) {
    return row.id();
  }

  @Override
  String insertSql(String stagingTable, List<BadRow> staged) {
    return "INSERT OR IGNORE INTO bad_events BY NAME SELECT *, now()::TIMESTAMP AS loaded_at FROM "
        + stagingTable;
  }

  @Override
  void appendRow(DuckDBAppender a, BadRow row) throws SQLException {
    a.beginRow();
    a.append(row.id());
    a.append(row.type().wireName());
    a.append(row.processor());
    a.append(utc(row.failureTime()));
    a.append(Json.MAPPER.valueToTree(row.messages()).toString());
    appendOrNull(a, row.source());
    appendOrNull(a, row.rawId());
    if (row.receivedAt() == null) {
      a.appendNull();
    } else {
      a.append(utc(row.receivedAt()));
    }
    appendOrNull(a, row.replayId());
    a.append(BadRowCodec.rawAsJson(row));
    a.endRow();
  }

  private static void appendOrNull(DuckDBAppender a, String v) throws SQLException {
    if (v == null) {
      a.appendNull();
    } else {
      a.append(v);
    }
  }

  private static LocalDateTime utc(Instant t) {
    return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  @Override
  public String name() {
    return "bad-rows";
  }
}
