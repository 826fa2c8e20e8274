package io.tributary.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryRegistryTest {
  static final SchemaKey LINK_CLICK =
      SchemaKey.parse("iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1");

  /**
   * The copy of Iglu Central under /work/shared/testdata: the directory that holds "schemas" (or
   * is it), found from the module directory (Maven's working directory) or from the repository root.
   */
  static Path igluCentral() {
    return Stream.of("../../shared/testdata/iglu-central", "../shared/testdata/iglu-central",
            "../../shared/testdata/iglu-central/schemas")
        .map(Path::of)
        .filter(Files::isDirectory)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(
            "Iglu Central test data not found from " + Path.of("").toAbsolutePath()));
  }

  @Test
  void findsSchemasInIgluCentral() {
    DirectoryRegistry registry = new DirectoryRegistry("iglu-central", igluCentral());

    assertThat(registry.name()).isEqualTo("iglu-central");
    assertThat(registry.lookup(LINK_CLICK)).hasValueSatisfying(schema -> {
      assertThat(schema.at("/self/name").asText()).isEqualTo("link_click");
      assertThat(schema.at("/self/version").asText()).isEqualTo("1-0-1");
    });
  }

  @Test
  void acceptsTheSchemasDirectoryItselfAsRoot() {
    Path root = igluCentral();
    Path schemas = Files.isDirectory(root.resolve("schemas")) ? root.resolve("schemas") : root;

    DirectoryRegistry registry = new DirectoryRegistry("iglu-central", schemas);

    assertThat(registry.lookup(LINK_CLICK)).isPresent();
    assertThat(registry.lookup(LINK_CLICK))
        .isEqualTo(new DirectoryRegistry("iglu-central", root).lookup(LINK_CLICK));
  }

  @Test
  void isEmptyForSchemasItDoesNotHave() {
    DirectoryRegistry registry = new DirectoryRegistry("iglu-central", igluCentral());

    assertThat(registry.lookup(
        SchemaKey.parse("iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/9-0-0"))).isEmpty();
    assertThat(registry.lookup(SchemaKey.parse("iglu:com.acme/nothing/jsonschema/1-0-0"))).isEmpty();
    // a directory where a schema file would be is not a schema
    assertThat(registry.lookup(
        SchemaKey.parse("iglu:com.snowplowanalytics.snowplow/jsonschema/link_click/1-0-1"))).isEmpty();
  }

  @Test
  void readsFilesWithAJsonExtensionToo(@TempDir Path dir) throws IOException {
    write(dir.resolve("schemas/com.acme/button/jsonschema/1-0-0.json"), "{\"type\": \"object\"}");

    DirectoryRegistry registry = new DirectoryRegistry("local", dir);

    assertThat(registry.lookup(SchemaKey.parse("iglu:com.acme/button/jsonschema/1-0-0")))
        .hasValueSatisfying(s -> assertThat(s.get("type").asText()).isEqualTo("object"));
  }

  @Test
  void failsOnFilesThatAreNotJson(@TempDir Path dir) throws IOException {
    Path file = write(dir.resolve("com.acme/button/jsonschema/1-0-0"), "{not json");
    write(dir.resolve("com.acme/empty/jsonschema/1-0-0"), "");
    DirectoryRegistry registry = new DirectoryRegistry("local", dir);

    assertThatThrownBy(() -> registry.lookup(SchemaKey.parse("iglu:com.acme/button/jsonschema/1-0-0")))
        .isInstanceOf(SchemaResolutionException.class)
        .hasMessageContaining("schema registry 'local': cannot read "
            + "iglu:com.acme/button/jsonschema/1-0-0 from " + file.toAbsolutePath());
    assertThatThrownBy(() -> registry.lookup(SchemaKey.parse("iglu:com.acme/empty/jsonschema/1-0-0")))
        .isInstanceOf(SchemaResolutionException.class)
        .hasMessageContaining("is empty");
  }

  @Test
  void seesSchemasAddedAfterStart(@TempDir Path dir) throws IOException {
    DirectoryRegistry registry = new DirectoryRegistry("local", dir);
    SchemaKey key = SchemaKey.parse("iglu:com.acme/button/jsonschema/1-0-0");
    assertThat(registry.lookup(key)).isEmpty();

    write(dir.resolve("schemas/com.acme/button/jsonschema/1-0-0"), "{}");

    assertThat(registry.lookup(key)).isPresent();
  }

  @Test
  void rootMustBeADirectory(@TempDir Path dir) {
    Path missing = dir.resolve("missing");

    assertThatThrownBy(() -> new DirectoryRegistry("local", missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("schema registry 'local': " + missing + " is not a directory");
  }

  static Path write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }
}
