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
 * @param query the raw query string (without '?'), or null
 * @param headers selected request headers (lower-case names: referer, origin, ...); never null
 * @param networkUserId the collector's third-party cookie id (Snowplow {@code sp}), or null
 * @param replayId set when the record is re-injected by a replay, else null
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
    byte[] body,
    String query,
    java.util.Map<String, String> headers,
    String networkUserId,
    String replayId) {

  /**
   * Header set by the collector on a record whose request was over its size limit; the body is then
   * empty and the value describes the size. The enrich stage turns such a record into a bad row.
   */
  public static final String SIZE_VIOLATION_HEADER = "x-tributary-size-violation";

  /** A record with no query string, headers, cookie or replay (the Segment API's case). */
  public RawRecord(String id, String source, String protocol, String path, Instant receivedAt,
      String ip, String userAgent, String contentType, byte[] body) {
    this(id, source, protocol, path, receivedAt, ip, userAgent, contentType, body, null,
        java.util.Map.of(), null, null);
  }

  /** The same record marked as re-injected by the given replay. */
  public RawRecord withReplayId(String replay) {
    return new RawRecord(id, source, protocol, path, receivedAt, ip, userAgent, contentType, body,
        query, headers, networkUserId, replay);
  }

  public RawRecord {
    requireNonNull(id, "id is null");
    requireNonNull(source, "source is null");
    requireNonNull(protocol, "protocol is null");
    requireNonNull(path, "path is null");
    requireNonNull(receivedAt, "receivedAt is null");
    requireNonNull(body, "body is null");
    headers = headers == null ? java.util.Map.of() : java.util.Map.copyOf(headers);
  }
}
