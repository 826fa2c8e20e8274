package io.tributary.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Checks a Segment-API request body before it is acknowledged, in one streaming pass without building a
 * JSON tree: valid JSON, size and count limits, and the fields every message needs. Everything else is
 * accepted as is (the collector is schema-agnostic); normalisation happens downstream.
 */
public final class SegmentRequestChecker {
  private static final JsonFactory JSON = new JsonFactory();

  /** What the check learned: the body's writeKey (null if none) and how many events it holds. */
  public record Result(String writeKey, int events) {}

  private final SegmentLimits limits;

  public SegmentRequestChecker(SegmentLimits limits) {
    this.limits = limits;
  }

  /**
   * @param singleType the type given by the path ({@code /v1/track}), or null for a batch path
   * @throws BadRequestException naming the problem
   */
  public Result check(byte[] body, SegmentType singleType) {
    if (body.length == 0) {
      throw new BadRequestException("request body is empty");
    }
    // The streaming pass skips strings without decoding them; the normalizer decodes them all.
    int invalid = Utf8.firstInvalid(body);
    if (invalid >= 0) {
      throw new BadRequestException("invalid JSON: not valid UTF-8 at byte " + invalid);
    }
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadRequestException("request body must be a JSON object");
      }
      Result result;
      if (singleType != null) {
        if (body.length > limits.maxEventBytes()) {
          throw new BadRequestException(
              "event is " + body.length + " bytes, over the limit of " + limits.maxEventBytes());
        }
        String writeKey = checkMessage(p, singleType, "event");
        result = new Result(writeKey, 1);
      } else {
        result = checkBatch(p);
      }
      if (p.nextToken() != null) {
        throw new BadRequestException("invalid JSON: unexpected data after the top-level object");
      }
      return result;
    } catch (JsonProcessingException e) {
      // Jackson's own limits (nesting depth, string length) report no location.
      throw new BadRequestException("invalid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset()));
    } catch (IOException e) {
      throw new BadRequestException("unreadable body: " + e.getMessage());
    }
  }

  private Result checkBatch(JsonParser p) throws IOException {
    String writeKey = null;
    int events = -1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("batch")) {
        if (value != JsonToken.START_ARRAY) {
          throw new BadRequestException("'batch' must be an array");
        }
        events = checkBatchArray(p);
      } else if (field.equals("writeKey")) {
        writeKey = stringOrSkip(p, value, null);
      } else if (field.equals("context")) {
        objectOrNull(p, value, "batch", field);
      } else {
        p.skipChildren();
      }
    }
    if (events < 0) {
      throw new BadRequestException("missing 'batch' array");
    }
    if (events == 0) {
      throw new BadRequestException("batch is empty");
    }
    return new Result(writeKey, events);
  }

  private int checkBatchArray(JsonParser p) throws IOException {
    int index = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      String where = "batch[" + index + "]";
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw new BadRequestException(where + " must be a JSON object");
      }
      if (index == limits.maxBatchEvents()) {
        throw new BadRequestException(
            "batch has more than " + limits.maxBatchEvents() + " events");
      }
      long start = p.currentTokenLocation().getByteOffset();
      checkMessage(p, null, where);
      long size = p.currentLocation().getByteOffset() - start;
      if (size > limits.maxEventBytes()) {
        throw new BadRequestException(
            where + " is " + size + " bytes, over the limit of " + limits.maxEventBytes());
      }
      index++;
    }
    return index;
  }

  /** Reads one message object (positioned on its START_OBJECT) through its END_OBJECT. */
  private String checkMessage(JsonParser p, SegmentType pathType, String where) throws IOException {
    SegmentType type = pathType;
    String typeText = null;
    // A repeated key counts as its last value, as in the tree the normalizer reads.
    boolean hasUserId = false;
    boolean hasAnonymousId = false;
    boolean hasRequired = false;
    String writeKey = null;
    String required = pathType == null ? null : pathType.requiredField();
    String event = null;
    String previousId = null;
    String groupId = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "type" -> typeText = stringOrSkip(p, value, "");
        case "userId" -> hasUserId = isPresent(p, value);
        case "anonymousId" -> hasAnonymousId = isPresent(p, value);
        case "event" -> event = isPresent(p, value) ? "" : null;
        case "previousId" -> previousId = isPresent(p, value) ? "" : null;
        case "groupId" -> groupId = isPresent(p, value) ? "" : null;
        case "writeKey" -> writeKey = stringOrSkip(p, value, null);
        case "properties", "traits", "context", "integrations" -> objectOrNull(p, value, where, field);
        default -> p.skipChildren();
      }
    }
    if (type == null) {
      type = SegmentType.fromWireName(typeText);
      if (type == null) {
        throw new BadRequestException(where + ": 'type' must be one of track, identify, page, "
            + "screen, group, alias" + (typeText == null ? " (missing)" : ", not '" + typeText + "'"));
      }
      required = type.requiredField();
    }
    if (!hasUserId && !hasAnonymousId) {
      throw new BadRequestException(where + ": missing userId or anonymousId");
    }
    if (required != null) {
      hasRequired = switch (required) {
        case "event" -> event != null;
        case "previousId" -> previousId != null;
        case "groupId" -> groupId != null;
        default -> true;
      };
      if (!hasRequired) {
        throw new BadRequestException(where + ": " + type.wireName() + " requires '" + required + "'");
      }
    }
    return writeKey;
  }

  /** Fields the warehouse keeps as JSON objects: any other JSON type is refused at the edge. */
  private static void objectOrNull(JsonParser p, JsonToken value, String where, String field)
      throws IOException {
    if (value != JsonToken.START_OBJECT && value != JsonToken.VALUE_NULL) {
      throw new BadRequestException(where + ": '" + field + "' must be a JSON object, not "
          + describe(value));
    }
    p.skipChildren();
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      default -> token.asString();
    };
  }

  private static String stringOrSkip(JsonParser p, JsonToken value, String otherwise)
      throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    p.skipChildren();
    return otherwise;
  }

  private static boolean isPresent(JsonParser p, JsonToken value) throws IOException {
    return switch (value) {
      case VALUE_STRING -> !p.getText().isBlank();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> true;
      case START_OBJECT, START_ARRAY -> {
        p.skipChildren();
        yield false;
      }
      default -> false;
    };
  }
}
