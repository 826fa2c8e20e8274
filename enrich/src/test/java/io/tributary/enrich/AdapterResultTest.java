package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.BadRowType;
import io.tributary.core.EnrichedEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdapterResultTest {
  @Test
  void copiesItsListsSoTheyCannotChangeLater() {
    List<EnrichedEvent> events = new ArrayList<>(List.of(new EnrichedEvent()));
    AdapterResult result = new AdapterResult(events, List.of());
    events.clear();
    assertThat(result.events()).hasSize(1);
    assertThatThrownBy(() -> result.failures().add(new Failure(BadRowType.ADAPTER_FAILURE, "x")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsNullListsNamingThem() {
    assertThatThrownBy(() -> new AdapterResult(null, List.of())).hasMessage("events is null");
    assertThatThrownBy(() -> new AdapterResult(List.of(), null)).hasMessage("failures is null");
  }

  @Test
  void failureOfTheWholeRequest() {
    AdapterResult result = AdapterResult.failure(BadRowType.ADAPTER_FAILURE, "no adapter");
    assertThat(result.events()).isEmpty();
    assertThat(result.failures()).containsExactly(new Failure(BadRowType.ADAPTER_FAILURE, "no adapter"));
  }
}
