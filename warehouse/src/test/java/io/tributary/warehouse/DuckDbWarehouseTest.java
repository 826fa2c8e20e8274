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
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(dir.resolve("w.duckdb"), "300MiB")) {
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

  private static String memoryLimit(DuckDbWarehouse warehouse) throws SQLException {
    try (Connection c = warehouse.newConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT current_setting('memory_limit')")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
