package io.tributary.lake.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DuckDB reads the table's live files with read_parquet, as docs/lake.md shows. Without {@code
 * hive_partitioning = false} it would take event_name from the directory names, URL-encoded.
 */
class LakeFilesDuckDbTest {
  @TempDir Path dir;

  @Test
  void duckDbReadsTheLiveFilesWithTheSameRowsAsIceberg() throws Exception {
    Catalog catalog = IcebergTables.open(dir);
    try {
      IcebergArchiver a = new IcebergArchiver(catalog, EnrichedTable.ID, null,
          new IcebergSettings("t", 1000, Duration.ofMinutes(1)), Clock.systemUTC());
      a.open(List.of(0, 1));
      a.write(Events.range(0, 0, 30));
      a.write(Events.range(1, 0, 12));
      a.flush(true);
      a.write(Events.range(0, 30, 40));
      a.flush(true);
      Table table = catalog.loadTable(EnrichedTable.ID);

      List<LakeFiles.DataFileInfo> files = LakeFiles.list(table);
      assertThat(files.stream().mapToLong(LakeFiles.DataFileInfo::rows).sum()).isEqualTo(52);
      String list = files.stream().map(f -> "'" + f.path() + "'").collect(Collectors.joining(", "));
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          ResultSet rs = c.createStatement().executeQuery("select event_id, event_name,"
              + " strftime(event_time at time zone 'UTC', '%Y-%m-%d %H:%M'), domain_sessionidx,"
              + " properties::json->>'n' from read_parquet([" + list + "], hive_partitioning = false)"
              + " order by event_id")) {
        List<String> ids = new ArrayList<>();
        while (rs.next()) {
          ids.add(rs.getString(1));
          if (rs.getString(1).equals("e-1-4")) {
            assertThat(rs.getString(2)).isEqualTo("Signed Up");
            assertThat(rs.getString(3)).isEqualTo("2026-11-22 14:00");
            assertThat(rs.getInt(4)).isEqualTo(4);
            assertThat(rs.getString(5)).isEqualTo("4");
          }
        }
        assertThat(ids).containsExactlyInAnyOrderElementsOf(IcebergTables.eventIds(table));
        assertThat(ids).hasSize(52);
      }
    } finally {
      IcebergTables.close(catalog);
    }
  }
}
