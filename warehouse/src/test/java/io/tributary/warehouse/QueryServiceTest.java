package io.tributary.warehouse;

import io.tributary.core.ManualClock;
import static io.tributary.warehouse.Segment.tracks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.BadRequestException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueryServiceTest {
  @TempDir Path dir;
  private DuckDbWarehouse warehouse;
  private QueryService service;

  @BeforeEach
  void load() {
    warehouse = DuckDbWarehouse.open(dir.resolve("warehouse.duckdb"));
    try (EventLoader loader = new EventLoader(warehouse,
        new LoaderSettings("loader", "raw", 1000, Duration.ofSeconds(5)),
        new ManualClock(Instant.parse("2030-01-01T00:00:00Z")), EventLoader.RAW_SEGMENT)) {
      loader.open(List.of(0));
      loader.write(List.of(tracks(0, 0, "e1", "e2"), tracks(0, 1, "e3")));
      loader.flush(true);
    }
    service = new QueryService(warehouse);
  }

  @AfterEach
  void close() {
    warehouse.close();
  }

  private String tableState() throws SQLException {
    try (Connection c = warehouse.newConnection()) {
      return Segment.rows(c, "SELECT count(*), string_agg(event_id || ':' || coalesce(user_id, '-'),"
          + " ',' ORDER BY event_id) FROM events").toString()
          + Segment.rows(c, "SELECT table_name FROM duckdb_tables() ORDER BY 1")
          + Segment.rows(c, "SELECT database_name FROM duckdb_databases() ORDER BY 1")
          + Segment.rows(c, "SELECT current_setting('threads')");
    }
  }

  // ---------------------------------------------------------------- results

  @Test
  void selectReturnsColumnsAndRowsWithJsonFriendlyValues() {
    QueryResult result = service.query("""
        SELECT event_id, event_type, received_at, properties, user_id,
               count(*) OVER () AS n, 1.5::DOUBLE AS d, true AS b, NULL AS z
        FROM events ORDER BY event_id""", 100);

    assertThat(result.columns()).containsExactly(
        "event_id", "event_type", "received_at", "properties", "user_id", "n", "d", "b", "z");
    assertThat(result.truncated()).isFalse();
    assertThat(result.rows()).hasSize(3);
    List<Object> first = result.rows().get(0);
    assertThat(first.get(0)).isEqualTo("e1");
    assertThat(first.get(1)).isEqualTo("track");
    assertThat(first.get(2)).isInstanceOf(String.class);
    assertThat(LocalDateTime.parse((String) first.get(2)))
        .isEqualTo(LocalDateTime.parse("2026-11-22T12:00:00"));
    assertThat(first.get(3)).isEqualTo("{\"total\":3}");
    assertThat(first.get(4)).isEqualTo("u1");
    assertThat(first.get(5)).isEqualTo(3L);
    assertThat(first.get(6)).isEqualTo(1.5);
    assertThat(first.get(7)).isEqualTo(true);
    assertThat(first.get(8)).isNull();
    assertThat(result.rows()).extracting(r -> r.get(0)).containsExactly("e1", "e2", "e3");
  }

  @Test
  void temporalAndOtherTypesBecomeStringsNumbersOrLists() {
    QueryResult result = service.query("""
        SELECT TIMESTAMP '2026-11-22 12:34:56.789' AS ts,
               TIMESTAMPTZ '2026-11-22 12:00:00+00' AS tstz,
               DATE '2026-11-22' AS d,
               [1, 2, 3] AS l,
               12.50::DECIMAL(6,2) AS dec,
               '{"x":1}'::JSON AS j,
               'ab'::BLOB AS bin""", 10);
    List<Object> row = result.rows().get(0);
    assertThat(row.get(0)).isEqualTo("2026-11-22T12:34:56.789");
    assertThat(OffsetDateTime.parse((String) row.get(1)).toInstant())
        .isEqualTo(Instant.parse("2026-11-22T12:00:00Z"));
    assertThat(LocalDate.parse((String) row.get(2))).isEqualTo(LocalDate.of(2026, 11, 22));
    assertThat(row.get(3)).isEqualTo(List.of(1, 2, 3));
    assertThat(row.get(4)).isEqualTo(new BigDecimal("12.50"));
    assertThat(row.get(5)).isEqualTo("{\"x\":1}");
    assertThat(row.get(6)).isEqualTo("YWI=");
  }

  @Test
  void rowsBeyondMaxRowsAreCutAndFlagged() {
    QueryResult cut = service.query("SELECT range AS i FROM range(10) ORDER BY i", 3);
    assertThat(cut.rows()).containsExactly(List.of(0L), List.of(1L), List.of(2L));
    assertThat(cut.truncated()).isTrue();

    QueryResult exact = service.query("SELECT range AS i FROM range(10)", 10);
    assertThat(exact.rows()).hasSize(10);
    assertThat(exact.truncated()).isFalse();

    QueryResult oneLess = service.query("SELECT range AS i FROM range(10)", 9);
    assertThat(oneLess.rows()).hasSize(9);
    assertThat(oneLess.truncated()).isTrue();

    QueryResult empty = service.query("SELECT * FROM events WHERE false", 5);
    assertThat(empty.columns()).contains("event_id", "loaded_at");
    assertThat(empty.rows()).isEmpty();
    assertThat(empty.truncated()).isFalse();
  }

  @Test
  void otherReadOnlyFormsWork() {
    assertThat(service.query("FROM events SELECT count(*) AS n", 10).rows())
        .containsExactly(List.of(3L));
    assertThat(service.query("WITH x AS (SELECT user_id FROM events) SELECT DISTINCT user_id FROM x",
        10).rows()).containsExactly(List.of("u1"));
    assertThat(service.query("SELECT 1 AS a UNION ALL SELECT 2 ORDER BY a", 10).rows())
        .containsExactly(List.of(1), List.of(2));
    assertThat(service.query("  select 42 as answer;  ", 10).rows()).containsExactly(List.of(42));
  }

  // ---------------------------------------------------------------- rejected statements

  @ParameterizedTest
  @ValueSource(strings = {
      "INSERT INTO events SELECT * FROM events",
      "UPDATE events SET user_id = 'hacked'",
      "DELETE FROM events",
      "CREATE TABLE stolen AS SELECT * FROM events",
      "CREATE VIEW v AS SELECT 1",
      "DROP TABLE events",
      "ALTER TABLE events RENAME TO gone",
      "TRUNCATE events",
      "COPY events TO '@DIR@/out.csv'",
      "COPY (SELECT * FROM events) TO '@DIR@/out.parquet' (FORMAT parquet)",
      "EXPORT DATABASE '@DIR@/export'",
      "ATTACH '@DIR@/other.duckdb' AS other",
      "DETACH warehouse",
      "SET threads = 1",
      "RESET threads",
      "PRAGMA threads = 1",
      "PRAGMA database_size",
      "CALL pragma_version()",
      "INSTALL httpfs",
      "LOAD json",
      "CHECKPOINT",
      "BEGIN TRANSACTION",
      "EXPLAIN SELECT 1",
      "WITH d AS (SELECT 1) DELETE FROM events",
      "SELECT 1; DROP TABLE events",
      "SELECT 1; DELETE FROM events",
      "DELETE FROM events; SELECT 1",
      "SELECT 1; SELECT 2"})
  void statementsOtherThanOneSelectAreRejected(String sql) throws Exception {
    String before = tableState();
    String statement = sql.replace("@DIR@", dir.toString());

    assertThatThrownBy(() -> service.query(statement, 10)).isInstanceOf(BadRequestException.class);

    assertThat(tableState()).isEqualTo(before);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .allMatch(n -> n.startsWith("warehouse.duckdb"));
    }
  }

  @Test
  void rejectionsSayWhy() {
    assertThatThrownBy(() -> service.query("DROP TABLE events", 10))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("only read-only SELECT queries are allowed");
    assertThatThrownBy(() -> service.query("SELECT 1; SELECT 2", 10))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("send exactly one SELECT statement");
    assertThatThrownBy(() -> service.query("SELEC 1", 10))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("invalid SQL: ")
        .hasMessageContaining("SELEC");
  }

  @Test
  void sqlHiddenInsideASelectCannotChangeData() throws Exception {
    String before = tableState();
    assertThatThrownBy(() -> service.query("SELECT * FROM query('DELETE FROM events')", 10))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> service.query("SELECT * FROM query('DROP TABLE events')", 10))
        .isInstanceOf(BadRequestException.class);
    assertThat(tableState()).isEqualTo(before);
  }

  @Test
  void anUnknownColumnIsABadRequestWithDuckDbsMessage() throws Exception {
    String before = tableState();
    assertThatThrownBy(() -> service.query("SELECT no_such_column FROM events", 10))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("query failed: ")
        .hasMessageContaining("Binder Error")
        .hasMessageContaining("no_such_column");
    assertThatThrownBy(() -> service.query("SELECT * FROM no_such_table", 10))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("no_such_table");
    assertThat(tableState()).isEqualTo(before);
    // the service still works afterwards
    assertThat(service.query("SELECT count(*) FROM events", 10).rows()).containsExactly(List.of(3L));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\n\t"})
  void emptyQueriesAreRejected(String sql) {
    assertThatThrownBy(() -> service.query(sql, 10))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("query is empty");
  }

  @Test
  void nullQueryIsRejected() {
    assertThatThrownBy(() -> service.query(null, 10))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("query is empty");
  }

  @Test
  void commentOnlyQueryIsRejected() {
    assertThatThrownBy(() -> service.query("-- nothing here", 10))
        .isInstanceOf(BadRequestException.class);
  }

  // ---------------------------------------------------------------- findings

  @Test
  void timestampsDoNotDependOnTheJvmTimeZone() {
    TimeZone original = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
      QueryResult result = service.query("SELECT TIMESTAMP '2026-03-08 02:30:00' AS t", 10);
      assertThat(LocalDateTime.parse((String) result.rows().get(0).get(0)))
          .isEqualTo(LocalDateTime.parse("2026-03-08T02:30:00"));
    } finally {
      TimeZone.setDefault(original);
    }
  }

  @Test
  void queriesCannotReadFilesOfTheServer() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "password=hunter2",
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> service.query(
        "SELECT content FROM read_text('" + secret.toAbsolutePath() + "')", 10))
        .isInstanceOf(BadRequestException.class);
  }
}
