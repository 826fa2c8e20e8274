package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.DefaultJsonMetaSchemaFactory;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.InputStreamSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One compiled JSON Schema. Thread-safe: one instance validates on many threads at once.
 *
 * <p>The dialect is the schema's {@code $schema} when it names draft-04, draft-06, draft-07, 2019-09
 * or 2020-12; an Iglu self-describing meta-schema ({@code
 * http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#} and the
 * like) means draft-04; no {@code $schema} means the default dialect of the caller (draft-04 for
 * Iglu schemas). Only references inside the schema are followed: a {@code $ref} to another document
 * makes the schema unusable rather than reaching out to the network.
 */
public final class SchemaValidator {
  private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
      .pathType(PathType.JSON_PATH)
      .locale(Locale.ROOT)
      .build();
  private static final JsonSchemaFactory DRAFT_04_DEFAULT = factory(VersionFlag.V4);
  private static final JsonSchemaFactory DRAFT_07_DEFAULT = factory(VersionFlag.V7);
  // The factory swallows loader failures while it preloads references (and retries them at each
  // validation), so compile() collects them here to fail at once.
  private static final ThreadLocal<List<String>> REFUSED = new ThreadLocal<>();

  private final String label;
  private final JsonSchema schema;

  private SchemaValidator(String label, JsonSchema schema) {
    this.label = label;
    this.schema = schema;
  }

  /**
   * Compiles {@code schema}; {@code label} names it in messages (an Iglu URI, or a tracking plan
   * event), {@code defaultDraft} is the dialect when it has no {@code $schema} (V4 or V7).
   *
   * @throws SchemaResolutionException when the schema is not a usable JSON Schema
   */
  static SchemaValidator compile(String label, JsonNode schema, VersionFlag defaultDraft) {
    requireNonNull(label, "label is null");
    requireNonNull(schema, "schema is null");
    JsonSchemaFactory factory = switch (defaultDraft) {
      case V4 -> DRAFT_04_DEFAULT;
      case V7 -> DRAFT_07_DEFAULT;
      default -> throw new IllegalArgumentException(
          "default draft " + defaultDraft + " is not supported: use V4 or V7");
    };
    if (!schema.isObject() && !schema.isBoolean()) {
      throw new SchemaResolutionException(
          "schema " + label + " is not a JSON Schema: expected an object or a boolean, found "
              + schema.getNodeType().toString().toLowerCase(Locale.ROOT));
    }
    List<String> refused = new ArrayList<>();
    REFUSED.set(refused);
    JsonSchema compiled;
    try {
      compiled = factory.getSchema(schema, CONFIG);
    } catch (RuntimeException e) {
      throw new SchemaResolutionException(
          "schema " + label + " is not a usable JSON Schema: " + e.getMessage(), e);
    } finally {
      REFUSED.remove();
    }
    if (!refused.isEmpty()) {
      throw new SchemaResolutionException("schema " + label + " is not a usable JSON Schema: "
          + refusal(refused.get(0)));
    }
    return new SchemaValidator(label, compiled);
  }

  /** What the schema is: its Iglu URI, or the tracking plan event. */
  public String label() {
    return label;
  }

  /**
   * Validates {@code data} (null is JSON null).
   *
   * @return one message per violation, naming the JSON path and the rule, e.g. {@code "$.label:
   *     integer found, string expected"}; empty when the data is valid
   * @throws SchemaResolutionException when the schema turns out to be unusable while validating
   */
  public List<String> validate(JsonNode data) {
    try {
      return schema.validate(data == null ? NullNode.getInstance() : data).stream()
          .map(ValidationMessage::getMessage)
          .toList();
    } catch (RuntimeException e) { // e.g. a reference that fails only when first followed
      throw new SchemaResolutionException(
          "schema " + label + " cannot be applied: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "SchemaValidator[" + label + "]";
  }

  private static JsonSchemaFactory factory(VersionFlag defaultDraft) {
    List<JsonMetaSchema> known = List.of(withSelf(JsonMetaSchema.getV4()),
        withSelf(JsonMetaSchema.getV6()), withSelf(JsonMetaSchema.getV7()),
        withSelf(JsonMetaSchema.getV201909()), withSelf(JsonMetaSchema.getV202012()));
    return JsonSchemaFactory.builder()
        .defaultMetaSchemaIri(defaultDraft.getId())
        .metaSchemas(known)
        .metaSchemaFactory((iri, f, config) -> isIgluMetaSchema(iri)
            ? JsonMetaSchema.builder(iri, known.get(0)).build()
            : DefaultJsonMetaSchemaFactory.getInstance().getMetaSchema(iri, f, config))
        .schemaLoaders(loaders -> loaders.add(SchemaValidator::refuseRemote))
        .build();
  }

  // Iglu schemas carry their coordinates in "self"; it is not a validation keyword.
  private static JsonMetaSchema withSelf(JsonMetaSchema meta) {
    return JsonMetaSchema.builder(meta).keyword(new NonValidationKeyword("self")).build();
  }

  static boolean isIgluMetaSchema(String iri) {
    return iri.startsWith("iglu:") || iri.contains("self-desc");
  }

  // The built-in meta-schemas come from the class path; anything else would be a network fetch.
  private static InputStreamSource refuseRemote(AbsoluteIri iri) {
    String scheme = iri.getScheme();
    if ("classpath".equals(scheme) || "resource".equals(scheme)) {
      return null;
    }
    List<String> refused = REFUSED.get();
    if (refused != null) {
      refused.add(iri.toString());
    }
    throw new IllegalStateException(refusal(iri.toString()));
  }

  private static String refusal(String iri) {
    return "$ref to " + iri + " is not followed: references to other documents are disabled";
  }
}
