package io.tributary.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
