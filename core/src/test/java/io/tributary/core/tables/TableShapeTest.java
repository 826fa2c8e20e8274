package io.tributary.core.tables;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TableShapeTest {
  private static final TableDef DEF = SegmentTables.definition("order_completed");

  private static List<Field> fields(String json) {
    return JsonFlattener.flatten(Json.parseOrNull(json), DEF.prefix(), DEF.reserved());
  }

  @Test
  void newFieldsAddNullableColumnsInOrder() {
    TableShape shape = TableShape.create(DEF, 300);
    TableShape.Fitted first = shape.fit(fields("{\"total\":3,\"currency\":\"EUR\"}"));
    assertThat(first.values()).containsExactly(Map.entry("total", 3L), Map.entry("currency", "EUR"));
    assertThat(first.discards()).isEmpty();
    assertThat(shape.exists()).isFalse();
    shape.applied();

    TableShape.Fitted second = shape.fit(fields("{\"total\":4,\"coupon\":\"X\",\"tags\":[1]}"));
    assertThat(second.values()).containsEntry("coupon", "X").containsEntry("tags", "[1]");
    assertThat(shape.changes()).containsExactly(
        new SchemaChange(SchemaChange.Kind.ADD_COLUMN, "coupon", ColumnType.VARCHAR),
        new SchemaChange(SchemaChange.Kind.ADD_COLUMN, "tags", ColumnType.JSON));
    assertThat(shape.columns().keySet()).startsWith("event_id").endsWith("total", "currency",
        "coupon", "tags");
  }

  @Test
  void bigintWidensToDoubleOnce() {
    TableShape shape = TableShape.create(DEF, 300);
    shape.fit(fields("{\"total\":3}"));
    shape.applied();
    assertThat(shape.fit(fields("{\"total\":3.5}")).values()).containsEntry("total", 3.5);
    assertThat(shape.fit(fields("{\"total\":4}")).values()).containsEntry("total", 4.0);
    assertThat(shape.changes()).containsExactly(
        new SchemaChange(SchemaChange.Kind.WIDEN, "total", ColumnType.DOUBLE));
    assertThat(shape.columns()).containsEntry("total", ColumnType.DOUBLE);
  }

  @Test
  void aColumnAddedAndWidenedInOneBatchIsAddedWide() {
    TableShape shape = TableShape.create(DEF, 300);
    shape.applied();
    shape.fit(fields("{\"total\":3}"));
    shape.fit(fields("{\"total\":3.5}"));
    assertThat(shape.changes()).containsExactly(
        new SchemaChange(SchemaChange.Kind.ADD_COLUMN, "total", ColumnType.DOUBLE));
  }

  @Test
  void aValueThatDoesNotFitIsDiscardedTheRestOfTheRowLoads() {
    TableShape shape = TableShape.create(DEF, 300);
    shape.fit(fields("{\"total\":3}"));
    TableShape.Fitted later = shape.fit(fields("{\"total\":\"3\",\"currency\":\"EUR\"}"));
    assertThat(later.values()).containsExactly(Map.entry("currency", "EUR"));
    assertThat(later.discards()).containsExactly(new Discard("order_completed", "total", "\"3\"",
        "a string does not fit column type BIGINT"));
    assertThat(shape.columns()).containsEntry("total", ColumnType.BIGINT);
  }

  @Test
  void theSecondFieldWithTheSameColumnNameIsDiscarded() {
    TableShape.Fitted fitted = TableShape.create(DEF, 300).fit(fields("{\"orderId\":1,\"order_id\":2}"));
    assertThat(fitted.values()).containsExactly(Map.entry("order_id", 1L));
    assertThat(fitted.discards()).extracting(Discard::column, Discard::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("order_id", "2"));
  }

  @Test
  void fieldsBeyondTheColumnCapAreDiscarded() {
    int fixed = DEF.fixedColumns().size();
    TableShape shape = TableShape.create(DEF, fixed + 2);
    TableShape.Fitted fitted = shape.fit(fields("{\"a\":1,\"b\":2,\"c\":3,\"d\":4}"));
    assertThat(fitted.values()).containsOnlyKeys("a", "b");
    assertThat(fitted.discards()).extracting(Discard::column).containsExactly("c", "d");
    assertThat(fitted.discards().get(0).reason()).contains("limit of " + (fixed + 2))
        .contains("warehouse.max_columns_per_table");
    // Known columns still take values at the cap.
    assertThat(shape.fit(fields("{\"a\":5}")).values()).containsEntry("a", 5L);
  }

  @Test
  void anExistingTableGetsTheFixedColumnsItLacks() {
    Map<String, ColumnType> old = new LinkedHashMap<>();
    old.put("event_id", ColumnType.VARCHAR);
    old.put("total", ColumnType.BIGINT);
    TableShape shape = TableShape.existing(DEF, old, 300);
    assertThat(shape.exists()).isTrue();
    assertThat(shape.changes()).extracting(SchemaChange::column)
        .doesNotContain("event_id", "total").contains("received_at", "event_text");
  }

  @Test
  void aComputedTableMirrorsTheDynamicColumnsOfItsSource() {
    TableShape identifies = TableShape.create(SegmentTables.IDENTIFIES, 300);
    TableShape users = TableShape.create(SegmentTables.USERS_TABLE, 300);
    identifies.fit(JsonFlattener.flatten(Json.parseOrNull("{\"plan\":\"pro\",\"logins\":1,"
        + "\"id\":\"x\"}"), "trait_", SegmentTables.IDENTIFIES.reserved()));
    users.mirror(identifies, SegmentTables.IDENTIFIES.fixedColumns().keySet());
    assertThat(users.columns().keySet()).containsExactly("id", "event_time", "received_at",
        "loaded_at", "plan", "logins", "trait_id");
    users.applied();
    identifies.fit(JsonFlattener.flatten(Json.parseOrNull("{\"logins\":1.5}"), "trait_",
        Set.of()));
    users.mirror(identifies, SegmentTables.IDENTIFIES.fixedColumns().keySet());
    assertThat(users.changes()).containsExactly(
        new SchemaChange(SchemaChange.Kind.WIDEN, "logins", ColumnType.DOUBLE));
  }

  @Test
  void declaredColumnsAreAddedUpFrontWidenedButNeverNarrowedOrRetyped() {
    TableShape shape = TableShape.existing(DEF, DEF.fixedColumns(), DEF.fixedColumns().size() + 3);
    shape.fit(fields("{\"total\":3,\"flag\":true}"));
    shape.applied();
    Map<String, ColumnType> declared = new LinkedHashMap<>();
    declared.put("total", ColumnType.DOUBLE);
    declared.put("flag", ColumnType.VARCHAR);
    declared.put("coupon", ColumnType.VARCHAR);
    declared.put("beyond_the_limit", ColumnType.BIGINT);
    shape.declare(declared);

    assertThat(shape.changes()).containsExactly(
        new SchemaChange(SchemaChange.Kind.WIDEN, "total", ColumnType.DOUBLE),
        new SchemaChange(SchemaChange.Kind.ADD_COLUMN, "coupon", ColumnType.VARCHAR));
    assertThat(shape.columns()).containsEntry("flag", ColumnType.BOOLEAN)
        .doesNotContainKey("beyond_the_limit");
    TableShape.Fitted fitted = shape.fit(fields("{\"flag\":\"yes\",\"beyond_the_limit\":1}"));
    assertThat(fitted.discards()).extracting(Discard::column)
        .containsExactly("flag", "beyond_the_limit");
  }
}
