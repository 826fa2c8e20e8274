package io.tributary.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Topic offsets kept in the warehouse, written in the same transaction as the rows they cover: the
 * loaders' exactly-once guarantee.
 */
final class OffsetStore {
  static final String TABLE = "_tributary_offsets";

  private OffsetStore() {}

  static void createTable(Connection conn) throws SQLException {
    try (var st = conn.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (consumer VARCHAR NOT NULL,"
          + " topic VARCHAR NOT NULL, \"partition\" INTEGER NOT NULL, next_offset BIGINT NOT NULL,"
          + " updated_at TIMESTAMP NOT NULL, PRIMARY KEY (consumer, topic, \"partition\"))");
    }
  }

  /** The stored next offsets of {@code partitions} (null: of every partition). */
  static Map<Integer, Long> read(Connection conn, String consumer, String topic,
      Collection<Integer> partitions) throws SQLException {
    Map<Integer, Long> stored = new HashMap<>();
    String sql = "SELECT \"partition\", next_offset FROM " + TABLE + " WHERE consumer = ? AND topic = ?";
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setString(1, consumer);
      ps.setString(2, topic);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (partitions == null || partitions.contains(rs.getInt(1))) {
            stored.put(rs.getInt(1), rs.getLong(2));
          }
        }
      }
    }
    return stored;
  }

  /** Upserts; the caller commits together with its rows. */
  static void write(Connection conn, String consumer, String topic, Map<Integer, Long> offsets)
      throws SQLException {
    String upsert = "INSERT OR REPLACE INTO " + TABLE + " VALUES (?, ?, ?, ?, now()::TIMESTAMP)";
    try (PreparedStatement ps = conn.prepareStatement(upsert)) {
      for (Map.Entry<Integer, Long> e : offsets.entrySet()) {
        ps.setString(1, consumer);
        ps.setString(2, topic);
        ps.setInt(3, e.getKey());
        ps.setLong(4, e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
