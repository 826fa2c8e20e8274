package io.tributary.warehouse;

import io.tributary.core.RetriableException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import org.duckdb.DuckDBConnection;

/** Reads stored bad rows back, for replay. */
public final class BadRowReader {
  private final DuckDbWarehouse warehouse;

  public BadRowReader(DuckDbWarehouse warehouse) {
    this.warehouse = warehouse;
  }

  /**
   * Calls {@code action} with the raw record of every bad row matching the filters, once per raw
   * record (several failures of one request replay it once).
   *
   * @param since received at or after (null: no bound)
   * @param until received before (null: no bound)
   * @param type bad row type such as {@code schema_violation} (null: all)
   * @return how many raw records were passed to the action
   */
  public long forEachRaw(Instant since, Instant until, String type, Consumer<byte[]> action) {
    String sql = "SELECT any_value(CAST(raw AS VARCHAR)) FROM bad_events WHERE raw_id IS NOT NULL"
        + " AND (? IS NULL OR received_at >= ?) AND (? IS NULL OR received_at < ?)"
        + " AND (? IS NULL OR type = ?) GROUP BY raw_id ORDER BY min(received_at)";
    long n = 0;
    try (DuckDBConnection conn = warehouse.newConnection();
        PreparedStatement ps = conn.prepareStatement(sql)) {
      setTime(ps, 1, since);
      setTime(ps, 3, until);
      ps.setString(5, type);
      ps.setString(6, type);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          action.accept(rs.getString(1).getBytes(StandardCharsets.UTF_8));
          n++;
        }
      }
    } catch (SQLException e) {
      throw new RetriableException("cannot read bad rows: " + e.getMessage(), e);
    }
    return n;
  }

  private static void setTime(PreparedStatement ps, int index, Instant t) throws SQLException {
    // A LocalDateTime, not java.sql.Timestamp: the latter passes through the JVM's time zone.
    LocalDateTime value = t == null ? null : LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    ps.setObject(index, value);
    ps.setObject(index + 1, value);
  }
}
