package io.tributary.enrich;

import io.tributary.core.TributaryException;

/**
 * A schema could not be resolved: no registry has it, a registry could not be read (I/O, HTTP
 * error, timeout, unparsable JSON), or the schema is not a usable JSON Schema. The message names the
 * schema and the registries tried. An event that needs the schema goes to the bad stream as a
 * {@code RESOLUTION_ERROR}.
 */
public class SchemaResolutionException extends TributaryException {
  public SchemaResolutionException(String message) {
    super(message);
  }

  public SchemaResolutionException(String message, Throwable cause) {
    super(message, cause);
  }
}
