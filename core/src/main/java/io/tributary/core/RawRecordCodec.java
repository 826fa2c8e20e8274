package io.tributary.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * Encodes a {@link RawRecord} as one line of JSON (no line breaks), the format of both the raw topic
 * and the raw lake files (NDJSON), so that any engine can read the lake with a JSON reader.
 *
 * <p>A JSON body is embedded as a JSON value under {@code body}, byte for byte except that CR and LF
 * become spaces: in valid JSON those bytes can only be insignificant whitespace, so the value is
 * unchanged. Any other body is kept losslessly as base64 under {@code body_base64}.
 */
public final class RawRecordCodec {
  // Encoding stops mid-object to append the body bytes: the generator must not close it.
  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_CONTENT).build();
  private static final int VERSION = 1;

  private RawRecordCodec() {}

  /**
   * Encodes a record, embedding its body as JSON when it is one JSON value. Segment-API bodies were
   * checked by the collector; other bodies are checked here (trackers may send anything).
   */
  public static byte[] encode(RawRecord record) {
    byte[] body = record.body();
    return encode(record, record.protocol().equals("segment") ? isBareUtf8(body) : isSingleJsonValue(body));
  }

  static boolean isSingleJsonValue(byte[] body) {
    if (body.length == 0 || !isBareUtf8(body)) {
      return false;
    }
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() == null) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Jackson also reads JSON in UTF-16 and UTF-32 and skips a byte order mark, and it does not check
   * the UTF-8 of a string it skips; but the line is UTF-8 that readers decode: such a body must go as
   * base64. (JSON in UTF-8 has no NUL byte; UTF-16/32 JSON always has one.)
   */
  static boolean isBareUtf8(byte[] body) {
    if (body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF) {
      return false;
    }
    return !Utf8.hasNul(body) && Utf8.isValid(body);
  }

  public static byte[] encode(RawRecord record, boolean bodyIsJson) {
    // The fields go to a small buffer and the body straight into the line (one copy of the body);
    // a base64 body is a string field of the buffer, which is then the whole line.
    Buffer out = new Buffer(bodyIsJson ? 512 : record.body().length * 4 / 3 + 512);
    try (JsonGenerator gen = JSON.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeNumberField("v", VERSION);
      gen.writeStringField("id", record.id());
      gen.writeStringField("source", record.source());
      gen.writeStringField("protocol", record.protocol());
      gen.writeStringField("path", record.path());
      gen.writeStringField("received_at", Timestamps.toIsoString(record.receivedAt()));
      writeOptional(gen, "ip", record.ip());
      writeOptional(gen, "user_agent", record.userAgent());
      writeOptional(gen, "content_type", record.contentType());
      writeOptional(gen, "query", record.query());
      if (!record.headers().isEmpty()) {
        gen.writeObjectFieldStart("headers");
        for (var h : new java.util.TreeMap<>(record.headers()).entrySet()) {
          gen.writeStringField(h.getKey(), h.getValue());
        }
        gen.writeEndObject();
      }
      writeOptional(gen, "network_userid", record.networkUserId());
      writeOptional(gen, "replay_id", record.replayId());
      if (!bodyIsJson) {
        gen.writeStringField("body_base64", Base64.getEncoder().encodeToString(record.body()));
        gen.writeEndObject();
        gen.flush();
        return out.toByteArray();
      }
      gen.writeFieldName("body");
      gen.writeRaw(':');
      gen.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] body = record.body();
    int start = out.size();
    byte[] line = new byte[start + body.length + 1];
    System.arraycopy(out.array(), 0, line, 0, start);
    System.arraycopy(body, 0, line, start, body.length);
    line[line.length - 1] = '}';
    for (int i = start; i < line.length - 1; i++) {
      if (line[i] == '\n' || line[i] == '\r') {
        line[i] = ' ';
      }
    }
    return line;
  }

  /** A byte array output stream whose bytes can be read without copying them. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(size);
    }

    byte[] array() {
      return buf;
    }
  }

  private static void writeOptional(JsonGenerator gen, String field, String value) throws IOException {
    if (value != null) {
      gen.writeStringField(field, value);
    }
  }

  /**
   * {@link Instant#parse}, without its formatter for what encode writes ({@link Instant#toString},
   * UTC): the formatter costs about a microsecond a record.
   */
  static Instant receivedAt(String text) {
    Instant common = text.endsWith("Z") ? Timestamps.parseCommonIso(text) : null;
    return common != null ? common : Instant.parse(text);
  }

  /** Only whitespace then the '}' closing the line's object from {@code i}: nothing more to read. */
  private static boolean closesLine(byte[] line, int i) {
    int j = JsonBytes.skipWhitespace(line, i, line.length);
    return j < line.length && line[j] == '}';
  }

  /** Reads a line written by {@link #encode}; the body comes back as the bytes that were embedded. */
  public static RawRecord decode(byte[] line) {
    String id = null, source = null, protocol = null, path = null, ip = null, ua = null, ct = null;
    String query = null, nuid = null, replay = null;
    java.util.Map<String, String> headers = new java.util.HashMap<>();
    Instant receivedAt = null;
    byte[] body = null;
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadRequestException("raw record is not a JSON object");
      }
      fields:
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "id" -> id = p.getText();
          case "source" -> source = p.getText();
          case "protocol" -> protocol = p.getText();
          case "path" -> path = p.getText();
          case "received_at" -> receivedAt = receivedAt(p.getText());
          case "ip" -> ip = p.getText();
          case "user_agent" -> ua = p.getText();
          case "content_type" -> ct = p.getText();
          case "query" -> query = p.getText();
          case "network_userid" -> nuid = p.getText();
          case "replay_id" -> replay = p.getText();
          case "headers" -> {
            if (value != JsonToken.START_OBJECT) {
              throw new BadRequestException("raw record headers must be an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String name = p.currentName();
              p.nextToken();
              headers.put(name, p.getText());
            }
          }
          case "body_base64" -> body = Base64.getDecoder().decode(p.getText());
          case "body" -> {
            int from = (int) p.currentTokenLocation().getByteOffset();
            int end = value.isStructStart() ? JsonExtent.end(line, from) : -1;
            if (end >= 0 && closesLine(line, end)) {
              // The body ends the line, as encode writes it, and is plainly valid JSON: no need to
              // tokenise it here too, the adapter parses it. Anything else is read as before.
              body = Arrays.copyOfRange(line, from, end);
              break fields;
            }
            if (value.isStructStart()) {
              p.skipChildren();
            } else {
              p.finishToken();
            }
            int to = (int) p.currentLocation().getByteOffset();
            body = Arrays.copyOfRange(line, from, to);
          }
          default -> {
            if (value.isStructStart()) {
              p.skipChildren();
            }
          }
        }
      }
    } catch (IOException e) {
      throw new BadRequestException("raw record is not valid JSON: " + e.getMessage());
    } catch (RuntimeException e) {
      if (e instanceof BadRequestException b) {
        throw b;
      }
      throw new BadRequestException("raw record is malformed: " + e.getMessage());
    }
    if (id == null || source == null || protocol == null || path == null || receivedAt == null
        || body == null) {
      throw new BadRequestException("raw record misses one of id, source, protocol, path, received_at, body");
    }
    return new RawRecord(id, source, protocol, path, receivedAt, ip, ua, ct, body, query, headers,
        nuid, replay);
  }
}
