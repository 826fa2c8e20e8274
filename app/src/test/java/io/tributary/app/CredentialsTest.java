package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String printed() {
    String s = bytes.toString(StandardCharsets.UTF_8);
    bytes.reset();
    return s;
  }

  private TributaryConfig config(Map<String, String> overrides) {
    Map<String, String> all = new java.util.HashMap<>(overrides);
    all.put("data_dir", dir.resolve("data").toString());
    return ConfigLoader.load(null, Map.of(), all);
  }

  private Path credentialsFile() {
    return dir.resolve("data").resolve("credentials.json");
  }

  @Test
  void firstResolveGeneratesStoresAndPrintsTheWriteKeyButNotTheAdminToken() throws IOException {
    Credentials c = Credentials.resolve(config(Map.of()), out);

    assertThat(c.adminToken()).startsWith("tat_").hasSize(4 + 40);
    assertThat(c.sources()).hasSize(1);
    TributaryConfig.Source source = c.sources().get(0);
    assertThat(source.name()).isEqualTo("default");
    assertThat(source.writeKey()).startsWith("twk_").hasSize(4 + 40);

    String text = printed();
    // The write key is public anyway (browsers send it); the admin token is a secret.
    assertThat(text).contains(source.writeKey()).contains("default").contains("admin token")
        .contains(credentialsFile().toAbsolutePath().toString()).doesNotContain(c.adminToken());

    Path file = credentialsFile();
    assertThat(file).isRegularFile();
    assertThat(file.resolveSibling("credentials.json.tmp")).doesNotExist();
    assertThat(Credentials.read(file)).isEqualTo(c);

    JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertThat(json.path("admin_token").asText()).isEqualTo(c.adminToken());
    assertThat(json.path("sources").get(0).path("name").asText()).isEqualTo("default");
    assertThat(json.path("sources").get(0).path("write_key").asText()).isEqualTo(source.writeKey());
  }

  @Test
  void fileIsOwnerReadWriteOnly() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Credentials.resolve(config(Map.of()), out);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentialsFile())))
        .isEqualTo("rw-------");
  }

  @Test
  void generatedSecretsDifferBetweenDataDirs() {
    Credentials a = Credentials.resolve(config(Map.of()), out);
    TributaryConfig other = ConfigLoader.load(null, Map.of(),
        Map.of("data_dir", dir.resolve("other").toString()));
    Credentials b = Credentials.resolve(other, out);
    assertThat(b.adminToken()).isNotEqualTo(a.adminToken());
    assertThat(b.sources().get(0).writeKey()).isNotEqualTo(a.sources().get(0).writeKey());
    assertThat(a.adminToken()).isNotEqualTo(a.sources().get(0).writeKey().replace("twk_", "tat_"));
  }

  @Test
  void secondResolveReturnsSameValuesAndPrintsNothing() throws IOException {
    Credentials first = Credentials.resolve(config(Map.of()), out);
    printed();
    String stored = Files.readString(credentialsFile());

    Credentials second = Credentials.resolve(config(Map.of()), out);

    assertThat(second).isEqualTo(first);
    assertThat(printed()).isEmpty();
    assertThat(Files.readString(credentialsFile())).isEqualTo(stored);
  }

  @Test
  void configDeclaredValuesTakePrecedenceOverStored() {
    Credentials stored = Credentials.resolve(config(Map.of()), out);
    printed();

    TributaryConfig declared = withSources("config-admin-token-0123");
    Credentials c = Credentials.resolve(declared, out);

    assertThat(c.adminToken()).isEqualTo("config-admin-token-0123");
    assertThat(c.sources()).containsExactly(new TributaryConfig.Source("web", "web-key-12345"));
    assertThat(printed()).isEmpty();
    // the stored file is left as it was
    assertThat(Credentials.read(credentialsFile())).isEqualTo(stored);
  }

  @Test
  void configDeclaredValuesWithNoStoredFileGenerateNothing() {
    Credentials c = Credentials.resolve(withSources("config-admin-token-0123"), out);
    assertThat(c.adminToken()).isEqualTo("config-admin-token-0123");
    assertThat(c.sources()).containsExactly(new TributaryConfig.Source("web", "web-key-12345"));
    assertThat(printed()).isEmpty();
    assertThat(credentialsFile()).doesNotExist();
  }

  @Test
  void onlyAdminTokenDeclaredGeneratesOnlyTheSource() {
    Credentials c = Credentials.resolve(
        config(Map.of("admin_token", "config-admin-token-0123")), out);
    assertThat(c.adminToken()).isEqualTo("config-admin-token-0123");
    assertThat(c.sources()).extracting(TributaryConfig.Source::name).containsExactly("default");
    String text = printed();
    assertThat(text).contains("default").doesNotContain("admin token");
    // the configured token is not written to disk
    assertThat(Credentials.read(credentialsFile()).adminToken()).isNull();
  }

  @Test
  void onlySourcesDeclaredGeneratesOnlyTheToken() {
    TributaryConfig cfg = withSources(null);
    Credentials c = Credentials.resolve(cfg, out);
    assertThat(c.adminToken()).startsWith("tat_");
    assertThat(c.sources()).containsExactly(new TributaryConfig.Source("web", "web-key-12345"));
    assertThat(printed()).contains("admin token").doesNotContain(c.adminToken())
        .doesNotContain("'default'");

    Credentials again = Credentials.resolve(cfg, out);
    assertThat(again).isEqualTo(c);
    assertThat(printed()).isEmpty();
  }

  private TributaryConfig withSources(String adminToken) {
    return new TributaryConfig(dir.resolve("data").toString(), adminToken, null, null, null, null, null,
        List.of(new TributaryConfig.Source("web", "web-key-12345")), null, null, null, null, null, null);
  }

  @Test
  void readOfMissingFileIsNull() {
    assertThat(Credentials.read(dir.resolve("nope.json"))).isNull();
  }

  @Test
  void readOfCorruptFileThrowsConfigException() throws IOException {
    Path file = dir.resolve("credentials.json");
    Files.writeString(file, "{ this is not json");
    assertThatThrownBy(() -> Credentials.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void resolveWithCorruptFileThrowsConfigException() throws IOException {
    Files.createDirectories(credentialsFile().getParent());
    Files.writeString(credentialsFile(), "[1, 2");
    assertThatThrownBy(() -> Credentials.resolve(config(Map.of()), out))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void storedFileWithoutSourcesKeepsTheTokenAndCreatesADefaultSource() throws IOException {
    Files.createDirectories(credentialsFile().getParent());
    Files.writeString(credentialsFile(), "{\"admin_token\": \"tat_0123456789abcdef\"}");
    Credentials resolved = Credentials.resolve(config(Map.of()), out);
    assertThat(resolved.adminToken()).isEqualTo("tat_0123456789abcdef");
    assertThat(resolved.sources()).extracting(TributaryConfig.Source::name).containsExactly("default");
    assertThat(Credentials.read(credentialsFile()).sources()).hasSize(1);
  }
}
