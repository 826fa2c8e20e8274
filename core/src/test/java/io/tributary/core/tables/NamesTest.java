package io.tributary.core.tables;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Order Completed|order_completed",
      "orderId|order_id",
      "userID|user_id",
      "HTTPStatus|http_status",
      "ProductViewed|product_viewed",
      "already_snake_case|already_snake_case",
      "  spaced -- out!! |spaced_out",
      "$price|price",
      "a.b/c|a_b_c",
      "v2Name|v2_name",
      "3D Viewed|_3d_viewed",
      "café crème|caf_cr_me",
      "select|select",
      "Robert'); DROP TABLE events;--|robert_drop_table_events"})
  void snakeCase(String name, String expected) {
    assertThat(Names.snakeCase(name, "field")).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"日本語", "!!!", "''"})
  void nothingLeftGivesAStableFallback(String name) {
    String once = Names.snakeCase(name, "event");
    assertThat(once).matches("event_[0-9a-f]+").isEqualTo(Names.snakeCase(name, "event"));
  }

  @org.junit.jupiter.api.Test
  void quotedIdentifiersEscapeQuotes() {
    assertThat(Names.quote("order_completed")).isEqualTo("\"order_completed\"");
    assertThat(Names.quote("x\"y")).isEqualTo("\"x\"\"y\"");
  }

  @ParameterizedTest
  @CsvSource({"200", "500"})
  void longNamesAreCut(int length) {
    assertThat(Names.snakeCase("a".repeat(length), "f")).hasSize(Names.MAX_LENGTH);
  }
}
