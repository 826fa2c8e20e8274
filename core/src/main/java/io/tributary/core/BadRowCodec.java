package io.tributary.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The bad topic's and bad lake's format: one line of JSON per bad row, with the raw record embedded as
 * JSON under {@code raw} (it is itself one line of JSON, see {@link RawRecordCodec}). A raw line that
 * is not JSON (the bad row says it could not be read) goes losslessly as base64 under {@code
 * raw_base64}: embedded, it would make the bad row unreadable too.
 */
public final class BadRowCodec {
  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_CONTENT).build();

  private BadRowCodec() {}

  public static byte[] encode(BadRow row) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(row.raw().length + 512);
    try (JsonGenerator gen = JSON.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("id", row.id());
      gen.writeStringField("type", row.type().wireName());
      gen.writeStringField("processor", row.processor());
      gen.writeStringField("failure_time", row.failureTime().toString());
      gen.writeArrayFieldStart("messages");
      for (String m : row.messages()) {
        gen.writeString(m);
      }
      gen.writeEndArray();
      if (row.source() != null) {
        gen.writeStringField("source", row.source());
      }
      if (row.rawId() != null) {
        gen.writeStringField("raw_id", row.rawId());
      }
      if (row.receivedAt() != null) {
        gen.writeStringField("received_at", row.receivedAt().toString());
      }
      if (row.replayId() != null) {
        gen.writeStringField("replay_id", row.replayId());
      }
      if (!RawRecordCodec.isSingleJsonValue(row.raw())) {
        gen.writeStringField("raw_base64", Base64.getEncoder().encodeToString(row.raw()));
        gen.writeEndObject();
        gen.flush();
        return out.toByteArray();
      }
      gen.writeFieldName("raw");
      gen.writeRaw(':');
      gen.flush();
      out.write(row.raw());
      out.write('}');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The raw record as a JSON value, for a JSON column: the raw line itself, or when it is not JSON,
   * its text as a JSON string.
   */
  public static String rawAsJson(BadRow row) {
    String text = new String(row.raw(), StandardCharsets.UTF_8);
    if (RawRecordCodec.isSingleJsonValue(row.raw())) {
      return text;
    }
    try {
      return Json.MAPPER.writeValueAsString(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static BadRow decode(byte[] line) {
    String id = null, type = null, processor = null, source = null, rawId = null, replay = null;
    Instant failure = null, received = null;
    List<String> messages = new ArrayList<>();
    byte[] raw = null;
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadRequestException("bad row is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "id" -> id = p.getText();
          case "type" -> type = p.getText();
          case "processor" -> processor = p.getText();
          case "failure_time" -> failure = Instant.parse(p.getText());
          case "source" -> source = p.getText();
          case "raw_id" -> rawId = p.getText();
          case "received_at" -> received = Instant.parse(p.getText());
          case "replay_id" -> replay = p.getText();
          case "messages" -> {
            while (p.nextToken() != JsonToken.END_ARRAY) {
              messages.add(p.getText());
            }
          }
          case "raw_base64" -> raw = Base64.getDecoder().decode(p.getText());
          case "raw" -> {
            int from = (int) p.currentTokenLocation().getByteOffset();
            p.skipChildren();
            raw = Arrays.copyOfRange(line, from, (int) p.currentLocation().getByteOffset());
          }
          default -> {
            if (value.isStructStart()) {
              p.skipChildren();
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof BadRequestException b) {
        throw b;
      }
      throw new BadRequestException("unreadable bad row: " + e.getMessage());
    }
    if (id == null || type == null || processor == null || failure == null || raw == null) {
      throw new BadRequestException("bad row misses one of id, type, processor, failure_time, raw");
    }
    return new BadRow(id, BadRowType.valueOf(type.toUpperCase(java.util.Locale.ROOT)), processor,
        failure, messages, source, rawId, received, raw, replay);
  }
}
