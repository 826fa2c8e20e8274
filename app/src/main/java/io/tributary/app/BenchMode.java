package io.tributary.app;

import io.tributary.core.ConfigException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** What {@code tributary bench} sends: the protocol, the path and how many events a request holds. */
enum BenchMode {
  /** Segment {@code POST /v1/batch} of {@code --batch} track events. */
  SEGMENT_BATCH("segment-batch", "/v1/batch"),
  /** Segment {@code POST /v1/track}, one event per request. */
  SEGMENT_SINGLE("segment-single", "/v1/track"),
  /** Snowplow {@code POST tp2} with a payload_data of {@code --batch} page_view and struct events. */
  SNOWPLOW("snowplow", "/com.snowplowanalytics.snowplow/tp2");

  private final String cliName;
  private final String path;

  BenchMode(String cliName, String path) {
    this.cliName = cliName;
    this.path = path;
  }

  String cliName() {
    return cliName;
  }

  String path() {
    return path;
  }

  int eventsPerRequest(int batch) {
    return this == SEGMENT_SINGLE ? 1 : batch;
  }

  /** Snowplow trackers send no write key; the collector files their events under its own source. */
  boolean needsWriteKey() {
    return this != SNOWPLOW;
  }

  static BenchMode parse(String name) {
    for (BenchMode m : values()) {
      if (m.cliName.equals(name)) {
        return m;
      }
    }
    throw new ConfigException("--mode must be one of " + Arrays.stream(values())
        .map(BenchMode::cliName).collect(Collectors.joining(", ")) + ", not '" + name + "'");
  }
}
