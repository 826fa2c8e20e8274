package io.tributary.lake;

import io.tributary.core.RawRecord;
import io.tributary.core.RawRecordCodec;
import io.tributary.core.SourcedRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Builds raw-topic records the way the collector writes them, and reads lake files back. */
final class LakeRecords {
  private LakeRecords() {}

  /** A Segment batch request received at {@code receivedAt}, encoded as on the raw topic. */
  static byte[] rawValue(String id, Instant receivedAt, int messages) {
    StringBuilder batch = new StringBuilder("{\"batch\":[");
    for (int i = 0; i < messages; i++) {
      if (i > 0) {
        batch.append(',');
      }
      batch.append("{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"u")
          .append(i).append("\",\"messageId\":\"").append(id).append('-').append(i)
          .append("\",\"properties\":{\"total\":").append(i + 3).append("}}");
    }
    batch.append("],\"sentAt\":\"").append(receivedAt).append("\"}");
    RawRecord raw = new RawRecord(id, "web", "segment", "/v1/batch", receivedAt, "203.0.113.7",
        "test-agent/1.0", "application/json", batch.toString().getBytes(StandardCharsets.UTF_8));
    return RawRecordCodec.encode(raw, true);
  }

  static SourcedRecord record(int partition, long offset, Instant timestamp) {
    return new SourcedRecord(partition, offset, timestamp.toEpochMilli(),
        rawValue("r-" + partition + "-" + offset, timestamp, 1 + (int) (offset % 3)));
  }

  /** {@code count} records of one partition from {@code firstOffset}, {@code step} apart in time. */
  static List<SourcedRecord> records(int partition, long firstOffset, int count, Instant start,
      Duration step) {
    List<SourcedRecord> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(record(partition, firstOffset + i, start.plus(step.multipliedBy(i))));
    }
    return out;
  }

  static byte[] gunzip(byte[] gz) {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines of a lake file; fails unless the content ends with a newline. */
  static List<byte[]> lines(byte[] gz) {
    byte[] text = gunzip(gz);
    List<byte[]> lines = new ArrayList<>();
    if (text.length == 0) {
      return lines;
    }
    if (text[text.length - 1] != '\n') {
      throw new AssertionError("lake file does not end with a newline");
    }
    int start = 0;
    for (int i = 0; i < text.length; i++) {
      if (text[i] == '\n') {
        lines.add(Arrays.copyOfRange(text, start, i));
        start = i + 1;
      }
    }
    return lines;
  }
}
