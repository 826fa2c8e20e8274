package io.tributary.core.tables;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/** One value of an event bound for a dynamic column of a derived table. */
public record Field(String column, JsonNode value) {
  public Field {
    requireNonNull(column, "column is null");
    requireNonNull(value, "value is null");
  }
}
