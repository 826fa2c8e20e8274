package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class QueryClientTableTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void rendersHeaderSeparatorRowsAndFooter() {
    String table = QueryClient.table(json("""
        {'columns': ['event', 'n'],
         'rows': [['page_view', 1200], ['click', 7]],
         'truncated': false}
        """));
    assertThat(table).isEqualTo(String.join("\n",
        "event     | n   ",
        "----------+-----",
        "page_view | 1200",
        "click     | 7   ",
        "(2 rows)"));
  }

  @Test
  void headerWiderThanCells() {
    String table = QueryClient.table(json("""
        {'columns': ['a_long_name', 'x'], 'rows': [['v', 'y']]}
        """));
    assertThat(table).isEqualTo(String.join("\n",
        "a_long_name | x",
        "------------+--",
        "v           | y",
        "(1 row)"));
  }

  @Test
  void oneRowFooterIsSingular() {
    String table = QueryClient.table(json("{'columns': ['c'], 'rows': [[1]], 'truncated': false}"));
    assertThat(table).endsWith("\n(1 row)");
  }

  @Test
  void noRows() {
    String table = QueryClient.table(json("{'columns': ['id', 'name'], 'rows': []}"));
    assertThat(table).isEqualTo(String.join("\n",
        "id | name",
        "---+-----",
        "(0 rows)"));
  }

  @Test
  void truncatedFooter() {
    String table = QueryClient.table(json(
        "{'columns': ['c'], 'rows': [[1], [2]], 'truncated': true}"));
    assertThat(table).endsWith("\n(2 rows, truncated)");
    String one = QueryClient.table(json("{'columns': ['c'], 'rows': [[1]], 'truncated': true}"));
    assertThat(one).endsWith("\n(1 row, truncated)");
  }

  @Test
  void nullRendersAsNULL() {
    String table = QueryClient.table(json("{'columns': ['a', 'b'], 'rows': [[null, 'x']]}"));
    assertThat(table).isEqualTo(String.join("\n",
        "a    | b",
        "-----+--",
        "NULL | x",
        "(1 row)"));
  }

  @Test
  void scalarValuesAsPlainText() {
    String table = QueryClient.table(json(
        "{'columns': ['s', 'i', 'd', 'b'], 'rows': [['text', -3, 1.5, true]]}"));
    assertThat(table.split("\n")[2]).isEqualTo("text | -3 | 1.5 | true");
  }

  @Test
  void nestedValuesRenderAsJsonText() {
    String table = QueryClient.table(json("""
        {'columns': ['obj', 'arr'], 'rows': [[{'k': 'v', 'n': 1}, [1, 'two', null]]]}
        """));
    String row = table.split("\n")[2];
    assertThat(row).isEqualTo("{\"k\":\"v\",\"n\":1} | [1,\"two\",null]");
  }

  @Test
  void longCellsAreCutWithEllipsisAt80Characters() {
    String exactly80 = "a".repeat(80);
    String longer = "b".repeat(200);
    String table = QueryClient.table(JSON.createObjectNode()
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("columns", JSON.valueToTree(
            java.util.List.of("c")))
        .set("rows", JSON.valueToTree(java.util.List.of(
            java.util.List.of(exactly80), java.util.List.of(longer)))));
    String[] lines = table.split("\n");
    assertThat(lines[1]).isEqualTo("-".repeat(80));
    assertThat(lines[2]).isEqualTo(exactly80);
    assertThat(lines[3]).isEqualTo("b".repeat(79) + "…").hasSize(80);
    assertThat(lines[4]).isEqualTo("(2 rows)");
  }

  @Test
  void longNestedValueIsCutToo() {
    StringBuilder arr = new StringBuilder("[");
    for (int i = 0; i < 50; i++) {
      arr.append(i == 0 ? "" : ",").append(i);
    }
    arr.append(']');
    String table = QueryClient.table(json("{'columns': ['xs'], 'rows': [[" + arr + "]]}"));
    String cell = table.split("\n")[2];
    assertThat(cell).hasSize(80).endsWith("…").isEqualTo(arr.substring(0, 79) + "…");
  }

  @Test
  void newlinesInCellsBecomeSpaces() {
    String table = QueryClient.table(json("{'columns': ['c'], 'rows': [['line1\\nline2']]}"));
    assertThat(table.split("\n")[2]).isEqualTo("line1 line2");
    assertThat(table.split("\n")).hasSize(4);
  }
}
