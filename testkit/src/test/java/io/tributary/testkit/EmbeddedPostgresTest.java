package io.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresTest {
  @Test
  void aRealServerTakesWritesInANewDatabaseAndIsRemovedOnClose() throws Exception {
    String url;
    try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
      url = pg.createDatabase("catalog");
      try (Connection c = pg.connect("catalog"); Statement st = c.createStatement()) {
        st.execute("create table t (id int primary key, name text)");
        st.execute("insert into t values (1, 'one'), (2, 'two')");
        try (ResultSet rs = st.executeQuery("select count(*), version() from t")) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(2);
          assertThat(rs.getString(2)).startsWith("PostgreSQL 17");
        }
      }
      assertThat(url).startsWith("jdbc:postgresql://127.0.0.1:" + pg.port() + "/catalog");
    }
    // The server is gone: a new connection is refused.
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> java.sql.DriverManager.getConnection(url).close())
        .isInstanceOf(java.sql.SQLException.class);
  }
}
