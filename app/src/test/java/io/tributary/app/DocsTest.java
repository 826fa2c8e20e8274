package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.EventField;
import io.tributary.core.tables.DeclaredTable;
import io.tributary.core.tables.SnowplowTables;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The user docs describe what the code declares. */
class DocsTest {
  private static final Path DOCS = Path.of("..", "docs");

  @Test
  void tablesDocListsEveryEventColumnWithItsType() throws Exception {
    String doc = Files.readString(DOCS.resolve("tables.md"));
    for (EventField f : EventField.values()) {
      assertThat(doc).as("docs/tables.md row for %s", f.column())
          .contains("| `" + f.column() + "` | " + f.type().sql() + " |");
    }
  }

  @Test
  void tablesDocListsEveryFixedColumnOfTheSnowplowTables() throws Exception {
    String doc = Files.readString(DOCS.resolve("tables.md"));
    String snowplow = doc.substring(doc.indexOf("## Snowplow tables"), doc.indexOf("## `bad_events`"));
    SnowplowTables.FIXED_COLUMNS.forEach((column, type) -> assertThat(snowplow)
        .as("docs/tables.md Snowplow row for %s", column)
        .contains("| `" + column + "` | " + type.sql() + " |"));
  }

  @Test
  void tablesDocListsEveryFixedColumnOfTheDeclaredTables() throws Exception {
    String doc = Files.readString(DOCS.resolve("tables.md"));
    String declared = doc.substring(doc.indexOf("## Declared tables"), doc.indexOf("## `bad_events`"));
    DeclaredTable.FIXED_COLUMNS.forEach((column, type) -> assertThat(declared)
        .as("docs/tables.md declared-table row for %s", column)
        .contains("| `" + column + "` | " + type.sql() + " |"));
    DeclaredTable.TYPES.keySet().forEach(type -> assertThat(declared).contains("| `" + type + "` |"));
  }

  @Test
  void configurationDocNamesEveryEnvironmentVariable() throws Exception {
    String doc = Files.readString(DOCS.resolve("configuration.md"));
    for (String variable : ConfigLoader.ENVIRONMENT.keySet()) {
      assertThat(doc).contains("`" + variable + "`");
    }
  }

  @Test
  void configurationDocHasARowForEveryIcebergKey() throws Exception {
    String doc = Files.readString(DOCS.resolve("configuration.md"));
    for (var c : TributaryConfig.Iceberg.class.getRecordComponents()) {
      var json = c.getAccessor().getDeclaringClass().getDeclaredField(c.getName())
          .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
      String key = "lake.iceberg." + (json != null ? json.value() : c.getName());
      assertThat(doc).as("docs/configuration.md row for %s", key).contains("| `" + key + "` |");
    }
  }

  @Test
  void lakeDocShowsTheCommandAndTheDuckDbOption() throws Exception {
    String doc = Files.readString(DOCS.resolve("lake.md"));
    assertThat(doc).contains("bin/tributary lake files --table enriched")
        .contains("hive_partitioning = false");
  }
}
