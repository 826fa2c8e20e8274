package io.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Fuzzes the loader's streaming decoder of enriched lines, {@link EnrichedRow}.
 *
 * <p>Contract: decode returns a row or throws {@link BadRequestException}, never any other exception;
 * a JSON column holds valid JSON text. Its fast timestamp reader agrees with {@link Instant#parse}:
 * the same value when that parses, an exception when it does not.
 */
class EnrichedRowFuzzTest {
  @FuzzTest
  void decode(byte[] line) {
    timestampReadLikeInstantParse(new String(line, StandardCharsets.UTF_8));
    Object[] row;
    try {
      row = EnrichedRow.decode(line);
    } catch (BadRequestException e) {
      return;
    }
    for (EventField field : EventField.values()) {
      if (field.type() == FieldType.JSON && row[field.ordinal()] != null) {
        Json.parseOrNull((String) row[field.ordinal()]);
      }
    }
  }

  private static void timestampReadLikeInstantParse(String text) {
    LocalDateTime expected;
    try {
      expected = LocalDateTime.ofInstant(Instant.parse(text), ZoneOffset.UTC);
    } catch (RuntimeException e) {
      assertThatThrownBy(() -> EnrichedRow.utc(text)).isInstanceOf(RuntimeException.class);
      return;
    }
    assertThat(EnrichedRow.utc(text)).isEqualTo(expected);
  }
}
