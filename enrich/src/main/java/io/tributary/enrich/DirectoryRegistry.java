package io.tributary.enrich;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A registry on the local file system in the layout of an Iglu static repository:
 * {@code <root>/schemas/<vendor>/<name>/<format>/<M-R-A>} (a file without extension; a {@code .json}
 * extension is accepted too). {@code root} may also be the {@code schemas} directory itself.
 */
public final class DirectoryRegistry implements SchemaRegistry {
  private final String name;
  private final Path root;

  /**
   * @throws IllegalArgumentException when {@code root} is not a directory
   */
  public DirectoryRegistry(String name, Path root) {
    this.name = requireNonNull(name, "name is null");
    requireNonNull(root, "root is null");
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(
          "schema registry '" + name + "': " + root + " is not a directory");
    }
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<JsonNode> lookup(SchemaKey key) {
    Path schemas = schemasDir();
    Path file = schemas.resolve(key.path()).normalize();
    if (!file.startsWith(schemas)) {
      return Optional.empty();
    }
    if (!Files.isRegularFile(file)) {
      file = file.resolveSibling(file.getFileName() + ".json");
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
    }
    JsonNode schema;
    try {
      schema = Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new SchemaResolutionException("schema registry '" + name + "': cannot read "
          + key.toUri() + " from " + file + ": " + e.getMessage(), e);
    }
    if (schema == null || schema.isMissingNode()) {
      throw new SchemaResolutionException(
          "schema registry '" + name + "': " + file + " for " + key.toUri() + " is empty");
    }
    return Optional.of(schema);
  }

  // Decided per lookup so that a "schemas" directory created after start-up is picked up.
  private Path schemasDir() {
    Path nested = root.resolve("schemas");
    return Files.isDirectory(nested) ? nested : root;
  }

  @Override
  public String toString() {
    return "DirectoryRegistry[" + name + ", " + root + "]";
  }
}
