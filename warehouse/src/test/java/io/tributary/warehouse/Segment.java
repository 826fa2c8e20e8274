package io.tributary.warehouse;

import io.tributary.core.RawRecord;
import io.tributary.core.RawRecordCodec;
import io.tributary.core.SourcedRecord;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Raw-topic records carrying Segment requests, and a small SQL helper. */
final class Segment {
  static final Instant RECEIVED = Instant.parse("2026-11-22T12:00:00Z");

  private Segment() {}

  static SourcedRecord record(int partition, long offset, String rawId, String body) {
    return record(partition, offset, rawId, RECEIVED, body);
  }

  static SourcedRecord record(int partition, long offset, String rawId, Instant receivedAt,
      String body) {
    RawRecord raw = new RawRecord(rawId, "web", "segment", "/v1/batch", receivedAt, "203.0.113.7",
        "test-agent/1.0", "application/json", body.getBytes(StandardCharsets.UTF_8));
    return new SourcedRecord(partition, offset, receivedAt.toEpochMilli(),
        RawRecordCodec.encode(raw, true));
  }

  /** A batch body holding the given messages (JSON objects). */
  static String batch(String... messages) {
    return "{\"batch\":[" + String.join(",", messages) + "],\"sentAt\":\"" + RECEIVED + "\"}";
  }

  static String track(String messageId, String event) {
    return "{\"type\":\"track\",\"event\":\"" + event + "\",\"userId\":\"u1\",\"messageId\":\""
        + messageId + "\",\"properties\":{\"total\":3}}";
  }

  /** A record with one track message per id. */
  static SourcedRecord tracks(int partition, long offset, String... messageIds) {
    String[] messages = new String[messageIds.length];
    for (int i = 0; i < messageIds.length; i++) {
      messages[i] = track(messageIds[i], "Order Completed");
    }
    return record(partition, offset, "raw-" + partition + "-" + offset, batch(messages));
  }

  /** Rows of a query, every value as its string form (or null). */
  static List<List<String>> rows(Connection conn, String sql) throws SQLException {
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<List<String>> rows = new ArrayList<>();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  static long count(Connection conn, String sql) throws SQLException {
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
