package io.tributary.core.tables;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TypeRulesTest {
  private static JsonNode json(String text) {
    return Json.parseOrNull(text);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "true|BOOLEAN", "42|BIGINT", "-9223372036854775808|BIGINT", "9223372036854775808|DOUBLE",
      "4.5|DOUBLE", "1e3|DOUBLE", "'\"x\"'|VARCHAR", "'\"42\"'|VARCHAR", "[1,2]|JSON", "[]|JSON",
      "'{\"a\":1}'|JSON"})
  void newColumnsTakeTheValuesType(String value, ColumnType expected) {
    assertThat(TypeRules.infer(json(value))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"null"})
  void nullHasNoType(String value) {
    assertThat(TypeRules.infer(json(value))).isNull();
  }

  /** Every value kind against every column type: fits (with the stored value), widens, or not. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // value          | column  | outcome | stored / widened-to
      "7                | BIGINT  | fits    | 7",
      "7.5              | BIGINT  | widens  | DOUBLE",
      "'\"7\"'          | BIGINT  | rejected| a string does not fit column type BIGINT",
      "true             | BIGINT  | rejected| a boolean does not fit column type BIGINT",
      "[7]              | BIGINT  | rejected| an array does not fit column type BIGINT",
      "7                | DOUBLE  | fits    | 7.0",
      "7.5              | DOUBLE  | fits    | 7.5",
      "'\"7.5\"'        | DOUBLE  | rejected| a string does not fit column type DOUBLE",
      "false            | DOUBLE  | rejected| a boolean does not fit column type DOUBLE",
      "true             | BOOLEAN | fits    | true",
      "1                | BOOLEAN | rejected| an integer does not fit column type BOOLEAN",
      "'\"true\"'       | BOOLEAN | rejected| a string does not fit column type BOOLEAN",
      "'\"x\"'          | VARCHAR | fits    | x",
      "7                | VARCHAR | fits    | 7",
      "7.5              | VARCHAR | fits    | 7.5",
      "true             | VARCHAR | fits    | true",
      "[1]              | VARCHAR | rejected| an array does not fit column type VARCHAR",
      "[1]              | JSON    | fits    | [1]",
      "'\"x\"'          | JSON    | fits    | '\"x\"'",
      "3                | JSON    | fits    | 3",
      "'\"2026-01-01\"' | TIMESTAMP | rejected| a string does not fit column type TIMESTAMP"})
  void fitting(String value, ColumnType column, String outcome, String detail) {
    TypeRules.Fit fit = TypeRules.fit(json(value), column);
    switch (outcome) {
      case "fits" -> assertThat(fit).isInstanceOfSatisfying(TypeRules.Fits.class,
          f -> assertThat(String.valueOf(f.value())).isEqualTo(detail));
      case "widens" -> assertThat(fit).isInstanceOfSatisfying(TypeRules.Widens.class,
          w -> assertThat(w.to()).isEqualTo(ColumnType.valueOf(detail)));
      default -> assertThat(fit).isEqualTo(new TypeRules.Rejected(detail));
    }
  }

  @ParameterizedTest
  @CsvSource({"INTEGER,BIGINT", "BIGINT,BIGINT", "DOUBLE,DOUBLE", "FLOAT,DOUBLE", "JSON,JSON",
      "VARCHAR,VARCHAR", "BOOLEAN,BOOLEAN", "TIMESTAMP,TIMESTAMP", "'TIMESTAMP WITH TIME ZONE',TIMESTAMP",
      "BLOB,VARCHAR"})
  void databaseTypesMapBack(String sql, ColumnType expected) {
    assertThat(ColumnType.ofSql(sql)).isEqualTo(expected);
  }
}
