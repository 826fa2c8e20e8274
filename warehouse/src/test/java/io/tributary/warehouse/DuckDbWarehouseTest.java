package io.tributary.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbWarehouseTest {
  @TempDir Path dir;

  @Test
  void aMemoryLimitIsSetOnOpeningAndAgainAfterAReopen() throws SQLException {
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(dir.resolve("w.duckdb"),
        new DuckDbWarehouse.Options("300MiB", null))) {
      assertThat(memoryLimit(warehouse)).isEqualTo("300.0 MiB");
      warehouse.reopen(warehouse.generation());
      assertThat(memoryLimit(warehouse)).isEqualTo("300.0 MiB");
    }
  }

  @Test
  void withoutOneDuckDbKeepsItsDefaultAndQueriesCannotChangeIt() throws SQLException {
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(dir.resolve("w.duckdb"));
        Connection c = warehouse.newConnection();
        Statement st = c.createStatement()) {
      assertThat(memoryLimit(warehouse)).isNotEqualTo("300.0 MiB");
      assertThatThrownBy(() -> st.execute("SET memory_limit = '300MiB'"))
          .hasMessageContaining("configuration has been locked");
    }
  }

  @Test
  void threadsAreSetOnOpeningAndAgainAfterAReopenAndQueriesCannotChangeThem()
      throws SQLException {
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(dir.resolve("w.duckdb"),
        new DuckDbWarehouse.Options(null, 3))) {
      assertThat(setting(warehouse, "threads")).isEqualTo("3");
      warehouse.reopen(warehouse.generation());
      assertThat(setting(warehouse, "threads")).isEqualTo("3");
      try (Connection c = warehouse.newConnection(); Statement st = c.createStatement()) {
        assertThatThrownBy(() -> st.execute("SET threads = 8"))
            .hasMessageContaining("configuration has been locked");
      }
    }
  }

  @Test
  void byDefaultOneThreadOnUpToTwoCoresElseDuckDbsOwnChoice() throws SQLException {
    assertThat(DuckDbWarehouse.defaultThreads(1)).isEqualTo(1);
    assertThat(DuckDbWarehouse.defaultThreads(2)).isEqualTo(1);
    assertThat(DuckDbWarehouse.defaultThreads(3)).isNull();
    assertThat(DuckDbWarehouse.defaultThreads(16)).isNull();
    int cores = Runtime.getRuntime().availableProcessors();
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(dir.resolve("w.duckdb"))) {
      assertThat(setting(warehouse, "threads"))
          .isEqualTo(String.valueOf(cores <= 2 ? 1 : cores));
    }
  }

  @Test
  void checkpointsLeaveTheRowGroupsOfEarlierCheckpointsAsTheyAre() throws SQLException {
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(dir.resolve("w.duckdb"));
        Connection c = warehouse.newConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (id VARCHAR, n BIGINT)");
      // 125,000 rows fill a row group of 122,880 and start one of 2,120; DuckDB would merge that
      // small one with the next two into two groups, rewriting 202,120 rows already on disk.
      for (int rows : new int[] {125_000, 100_000, 100_000}) {
        st.execute("INSERT INTO t SELECT uuid()::VARCHAR, range FROM range(" + rows + ")");
        st.execute("CHECKPOINT");
      }
      assertThat(Segment.rows(c, "SELECT sum(count) FROM pragma_storage_info('t')"
          + " WHERE column_name = 'id' AND segment_type = 'VARCHAR'"
          + " GROUP BY row_group_id ORDER BY row_group_id"))
          .containsExactly(List.of("122880"), List.of("2120"), List.of("100000"),
              List.of("100000"));
      assertThatThrownBy(() -> st.execute("SET max_vacuum_tasks = 100"))
          .hasMessageContaining("configuration has been locked");
    }
  }

  private static String memoryLimit(DuckDbWarehouse warehouse) throws SQLException {
    return setting(warehouse, "memory_limit");
  }

  private static String setting(DuckDbWarehouse warehouse, String name) throws SQLException {
    try (Connection c = warehouse.newConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT current_setting('" + name + "')")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
