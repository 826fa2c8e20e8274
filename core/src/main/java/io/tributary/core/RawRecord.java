package io.tributary.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One collected request exactly as received, plus what the collector knew about it. This is what the
 * raw topic and the raw lake hold; everything downstream is derived from it.
 *
 * @param id unique id the collector gave the request; derived event ids are computed from it, so a
 *     replay of the same record yields the same events
 * @param body the request body after transfer decoding (gzip), otherwise untouched; for JSON
 *     protocols it is one JSON value
 */
public record RawRecord(
    String id,
    String source,
    String protocol,
    String path,
    Instant receivedAt,
    String ip,
    String userAgent,
    String contentType,
    byte[] body) {

  public RawRecord {
    requireNonNull(id, "id is null");
    requireNonNull(source, "source is null");
    requireNonNull(protocol, "protocol is null");
    requireNonNull(path, "path is null");
    requireNonNull(receivedAt, "receivedAt is null");
    requireNonNull(body, "body is null");
  }
}
