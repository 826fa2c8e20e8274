package io.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the Segment API as the collector and the enrich stage see it: an untrusted body goes through
 * {@link SegmentRequestChecker}, and what it accepts through {@link SegmentNormalizer}.
 *
 * <p>Contract: the check returns or throws {@link BadRequestException}, never anything else; an
 * accepted body normalizes without exception into as many events as the check counted, each with a
 * user (userId or anonymousId) and an event time within years 1 to 9999.
 *
 * <p>Input: the first byte picks the path (batch or one of the six single-message paths), the rest is
 * the body. Seeds: {@code src/test/resources/io/tributary/core/SegmentRequestFuzzTestInputs/}.
 */
class SegmentRequestFuzzTest {
  static final String[] PATHS =
      {"/v1/batch", "/v1/track", "/v1/identify", "/v1/page", "/v1/screen", "/v1/group", "/v1/alias"};
  private static final SegmentRequestChecker CHECKER = new SegmentRequestChecker(SegmentLimits.DEFAULT);
  private static final Instant RECEIVED = Instant.parse("2024-05-01T10:00:00Z");
  private static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

  @FuzzTest
  void checkThenNormalize(byte[] input) {
    if (input.length == 0) {
      return;
    }
    String path = PATHS[(input[0] & 0xff) % PATHS.length];
    byte[] body = Arrays.copyOfRange(input, 1, input.length);
    SegmentType type = SegmentNormalizer.typeOfPath(path);
    SegmentRequestChecker.Result accepted;
    try {
      accepted = CHECKER.check(body, type);
    } catch (BadRequestException rejected) {
      assertThat(rejected.getMessage()).isNotBlank();
      return;
    }
    RawRecord raw = new RawRecord("raw-1", "web", "segment", path, RECEIVED, "203.0.113.9", "ua",
        "application/json", body);
    List<CanonicalEvent> events = SegmentNormalizer.normalize(raw);
    assertThat(events).hasSize(accepted.events());
    for (CanonicalEvent e : events) {
      assertThat(isPresent(e.userId()) || isPresent(e.anonymousId()))
          .as("accepted event has a user: %s", e).isTrue();
      assertThat(e.eventTime()).isBetween(MIN, MAX);
      e.toEnriched();
    }
  }

  private static boolean isPresent(String s) {
    return s != null && !s.isBlank();
  }
}
