package io.tributary.lake;

import io.tributary.core.ManualClock;
import static io.tributary.lake.LakeRecords.records;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.SourcedRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lake is readable by an engine with nothing but its JSON reader: DuckDB here. */
class RawLakeDuckDbTest {
  @TempDir Path dir;

  @Test
  void duckDbReadsTheRawLakeWithHivePartitions() throws Exception {
    LocalLakeStore store = new LocalLakeStore(dir.resolve("lake"));
    ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
    RawArchiver archiver = new RawArchiver(store,
        new ArchiverSettings("raw", 7, Long.MAX_VALUE, Duration.ofMinutes(1)), clock);
    archiver.open(List.of(0, 1));
    // two partitions, spanning 12:50 .. 13:09: several files in two hour directories
    List<SourcedRecord> input = new ArrayList<>();
    input.addAll(records(0, 0, 20, Instant.parse("2026-11-22T12:50:00Z"), Duration.ofMinutes(1)));
    input.addAll(records(1, 0, 10, Instant.parse("2026-11-22T12:55:00Z"), Duration.ofMinutes(1)));
    for (int i = 0; i < input.size(); i += 4) {
      archiver.write(input.subList(i, Math.min(i + 4, input.size())));
      archiver.flush(false);
    }
    archiver.flush(true);
    // offset % 3 + 1 messages per record
    long messages = input.stream().mapToLong(r -> 1 + r.offset() % 3).sum();
    assertThat(store.list("raw/").size()).isGreaterThan(4);

    String glob = store.location() + "/raw/*/*/*.ndjson.gz";
    String source = "read_json('" + glob + "', format='newline_delimited', hive_partitioning=true)";
    try (Connection conn = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = conn.createStatement()) {
      try (ResultSet rs = st.executeQuery(
          "SELECT count(*), count(DISTINCT id), sum(len(body.batch)) FROM " + source)) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(input.size());
        assertThat(rs.getLong(2)).isEqualTo(input.size());
        assertThat(rs.getLong(3)).isEqualTo(messages);
      }

      Set<String> columns = new HashSet<>();
      try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + source)) {
        while (rs.next()) {
          columns.add(rs.getString("column_name"));
        }
      }
      assertThat(columns).contains("id", "received_at", "body", "dt", "hr");

      try (ResultSet rs = st.executeQuery("SELECT CAST(dt AS VARCHAR), CAST(hr AS INTEGER),"
          + " count(*) FROM " + source + " GROUP BY ALL ORDER BY ALL")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("2026-11-22");
        assertThat(rs.getInt(2)).isEqualTo(12);
        assertThat(rs.getLong(3)).isEqualTo(10 + 5); // 12:50..12:59 and 12:55..12:59
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(2)).isEqualTo(13);
        assertThat(rs.getLong(3)).isEqualTo(10 + 5);
        assertThat(rs.next()).isFalse();
      }

      try (ResultSet rs = st.executeQuery("SELECT body.batch[1].event, body.batch[1].userId,"
          + " body.batch[1].properties.total FROM " + source + " WHERE id = 'r-1-4'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("Order Completed");
        assertThat(rs.getString(2)).isEqualTo("u0");
        assertThat(rs.getLong(3)).isEqualTo(3);
        assertThat(rs.next()).isFalse();
      }
    }
  }
}
