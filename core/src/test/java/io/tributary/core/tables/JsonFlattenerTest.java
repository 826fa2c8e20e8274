package io.tributary.core.tables;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.Json;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonFlattenerTest {
  private static List<String> flat(String json, Set<String> reserved) {
    return JsonFlattener.flatten(Json.parseOrNull(json), "property_", reserved).stream()
        .map(f -> f.column() + "=" + f.value()).toList();
  }

  @Test
  void nestedObjectsFlattenWithUnderscoresArraysStayWhole() {
    assertThat(flat("""
        {"orderId":"o1","total":12.5,"address":{"city":"Paris","geo":{"lat":1.5}},
         "items":[{"sku":"a"}],"coupon":null,"empty":{},"gift":true}""", Set.of()))
        .containsExactly("order_id=\"o1\"", "total=12.5", "address_city=\"Paris\"",
            "address_geo_lat=1.5", "items=[{\"sku\":\"a\"}]", "gift=true");
  }

  @Test
  void namesOfReservedColumnsArePrefixedNotDropped() {
    assertThat(flat("{\"event_id\":\"x\",\"userId\":\"u\",\"revenue\":1}",
        Set.of("event_id", "user_id")))
        .containsExactly("property_event_id=\"x\"", "property_user_id=\"u\"", "revenue=1");
  }

  @Test
  void keysGivingTheSameNameAreAllReturnedInOrder() {
    assertThat(flat("{\"orderId\":1,\"order_id\":2,\"order\":{\"id\":3}}", Set.of()))
        .containsExactly("order_id=1", "order_id=2", "order_id=3");
  }

  @Test
  void objectsDeeperThanTheLimitStayWhole() {
    String deep = "{\"v\":1}";
    for (int i = 0; i < JsonFlattener.MAX_DEPTH; i++) {
      deep = "{\"l\":" + deep + "}";
    }
    assertThat(flat(deep, Set.of())).containsExactly("l".repeat(1) + "_l".repeat(
        JsonFlattener.MAX_DEPTH - 1) + "={\"v\":1}");
  }

  @Test
  void anythingButAnObjectGivesNoFields() {
    assertThat(flat("[1,2]", Set.of())).isEmpty();
    assertThat(flat("null", Set.of())).isEmpty();
    assertThat(JsonFlattener.flatten(null, "p_", Set.of())).isEmpty();
  }
}
