package io.tributary.enrich;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a tp2 body of the usual shape, {@code {"schema": payload_data 1-0-*, "data": [{param:
 * "value", ...}, ...]}}, straight into one parameter map per element, without building a JSON tree.
 *
 * <p>Only for that shape: string values only, each top-level field once, no other field, nothing
 * after the object. For anything else (invalid JSON, a non-string value, another schema, no
 * elements…) it returns null and the caller reads the body as a tree, which gives every case its
 * message; on the shape read here both give the same maps (a repeated parameter keeps its first
 * position and its last value, as in the tree).
 */
final class Tp2Body {
  private Tp2Body() {}

  /** One map per element, in order, or null when the body is not of the usual shape. */
  static List<Map<String, String>> read(JsonFactory json, byte[] body) {
    List<Map<String, String>> plain = PlainTp2Body.read(body);
    return plain != null ? plain : streamed(json, body);
  }

  /** {@link #read} with Jackson's parser, whatever the strings hold. */
  static List<Map<String, String>> streamed(JsonFactory json, byte[] body) {
    try (JsonParser p = json.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String schema = null;
      List<Map<String, String>> elements = null;
      String field;
      while ((field = p.nextFieldName()) != null) {
        if (field.equals("schema") && schema == null) {
          if (p.nextToken() != JsonToken.VALUE_STRING) {
            return null;
          }
          schema = p.getText();
        } else if (field.equals("data") && elements == null) {
          if (p.nextToken() != JsonToken.START_ARRAY) {
            return null;
          }
          elements = elements(p);
          if (elements == null) {
            return null;
          }
        } else {
          return null;
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        return null;
      }
      return usual(schema, elements);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The elements of a body read to its end, when its schema is a payload_data 1-0-* and it has
   * elements; otherwise null (the tree path gives those bodies their messages).
   */
  static List<Map<String, String>> usual(String schema, List<Map<String, String>> elements) {
    return schema != null && elements != null && !elements.isEmpty()
        && SnowplowAdapter.isRevisionOf(schema, SnowplowAdapter.PAYLOAD_DATA_1_0) ? elements : null;
  }

  /** The array's elements, the parser on its END_ARRAY; or null at the first unusual token. */
  private static List<Map<String, String>> elements(JsonParser p) throws IOException {
    List<Map<String, String>> elements = new ArrayList<>();
    JsonToken token;
    while ((token = p.nextToken()) == JsonToken.START_OBJECT) {
      Map<String, String> params = new LinkedHashMap<>(64);
      String name;
      while ((name = p.nextFieldName()) != null) {
        if (p.nextToken() != JsonToken.VALUE_STRING) {
          return null;
        }
        params.put(name, p.getText());
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        return null;
      }
      elements.add(params);
    }
    return token == JsonToken.END_ARRAY ? elements : null;
  }
}
