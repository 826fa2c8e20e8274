package io.tributary.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.BadRequestException;
import io.tributary.core.RetriableException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Blob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.duckdb.DuckDBConnection;

/**
 * Runs read-only SQL against the warehouse. A statement is accepted only if DuckDB itself can serialize
 * it as a single SELECT ({@code json_serialize_sql}), and it runs in a transaction that is rolled
 * back, so no query can change the data.
 */
public final class QueryService {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DuckDbWarehouse warehouse;

  public QueryService(DuckDbWarehouse warehouse) {
    this.warehouse = warehouse;
  }

  /**
   * @throws BadRequestException when the SQL is not a single SELECT or does not run (bad column...)
   */
  public QueryResult query(String sql, int maxRows) {
    if (sql == null || sql.isBlank()) {
      throw new BadRequestException("query is empty");
    }
    try (DuckDBConnection conn = warehouse.newConnection()) {
      requireSingleSelect(conn, sql);
      conn.setAutoCommit(false);
      try (Statement st = conn.createStatement()) {
        st.setMaxRows(maxRows + 1);
        try (ResultSet rs = st.executeQuery(sql)) {
          return read(rs, maxRows);
        }
      } catch (SQLException e) {
        throw new BadRequestException("query failed: " + e.getMessage());
      } finally {
        conn.rollback();
      }
    } catch (SQLException e) {
      throw new RetriableException("warehouse unavailable: " + e.getMessage(), e);
    }
  }

  private static void requireSingleSelect(DuckDBConnection conn, String sql) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
      ps.setString(1, sql);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        JsonNode parsed = JSON.readTree(rs.getString(1));
        if (parsed.path("error").asBoolean(true)) {
          String why = parsed.path("error_message").asText("");
          if (why.contains("Only SELECT")) {
            throw new BadRequestException("only read-only SELECT queries are allowed");
          }
          throw new BadRequestException("invalid SQL: " + why);
        }
        if (parsed.path("statements").size() != 1) {
          throw new BadRequestException("send exactly one SELECT statement");
        }
      }
    } catch (IOException e) {
      throw new BadRequestException("cannot check the query: " + e.getMessage());
    }
  }

  private static QueryResult read(ResultSet rs, int maxRows) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<String> columns = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      columns.add(md.getColumnLabel(i));
    }
    List<List<Object>> rows = new ArrayList<>();
    boolean truncated = false;
    while (rs.next()) {
      if (rows.size() == maxRows) {
        truncated = true;
        break;
      }
      List<Object> row = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        Object value = rs.getObject(i);
        if (value instanceof java.sql.Timestamp) {
          // Timestamp.toLocalDateTime() applies the JVM's time zone; ask for the stored value.
          value = rs.getObject(i, java.time.LocalDateTime.class);
        }
        row.add(toJsonValue(value));
      }
      rows.add(row);
    }
    return new QueryResult(columns, rows, truncated);
  }

  private static Object toJsonValue(Object v) throws SQLException {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer
        || v instanceof Long || v instanceof Double || v instanceof Float || v instanceof Short
        || v instanceof Byte || v instanceof BigDecimal || v instanceof BigInteger) {
      return v;
    }
    if (v instanceof TemporalAccessor || v instanceof java.util.Date) {
      return v.toString();
    }
    if (v instanceof Blob blob) {
      return Base64.getEncoder().encodeToString(blob.getBytes(1, (int) blob.length()));
    }
    if (v instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (v instanceof Array array) {
      List<Object> out = new ArrayList<>();
      for (Object o : (Object[]) array.getArray()) {
        out.add(toJsonValue(o));
      }
      return out;
    }
    return v.toString();
  }
}
