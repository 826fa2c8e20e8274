package io.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link RawRecordCodec#decode} on arbitrary lines, as the enrich stage reads them back from the
 * raw topic or the lake.
 *
 * <p>Contract: decode returns a record or throws {@link BadRequestException} with a message, never any
 * other exception, hang or out-of-memory; a decoded record encodes to a line that decodes to the same
 * record (a JSON body modulo the whitespace the encoding normalizes).
 */
class RawRecordDecodeFuzzTest {
  @FuzzTest
  void decode(byte[] line) {
    RawRecord record;
    try {
      record = RawRecordCodec.decode(line);
    } catch (BadRequestException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    boolean json = RawRecordCodec.isSingleJsonValue(record.body());
    RawRecord again = RawRecordCodec.decode(RawRecordCodec.encode(record, json));
    byte[] body = json ? RawRecordRoundTripFuzzTest.embedded(record.body()) : record.body();
    RawRecordRoundTripFuzzTest.assertSameRecord(again, new RawRecord(record.id(), record.source(),
        record.protocol(), record.path(), record.receivedAt(), record.ip(), record.userAgent(),
        record.contentType(), body, record.query(), record.headers(), record.networkUserId(),
        record.replayId()));
  }
}
