package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.ConfigException;
import io.tributary.lake.iceberg.LocalFileIO;
import io.tributary.lake.iceberg.ResolvingLocalFileIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lake.iceberg: the catalog properties Tributary derives, and the ones passed through. */
class IcebergWiringTest {
  @TempDir Path dir;

  TributaryConfig load(String yaml) throws Exception {
    Path file = dir.resolve("t.yaml");
    Files.writeString(file, "data_dir: /srv/t\n" + yaml);
    return ConfigLoader.load(file, Map.of(), Map.of());
  }

  @Test
  void byDefaultAJdbcCatalogInASqliteFileUnderTheDataDirWithTheTableInTheLake() throws Exception {
    TributaryConfig c = load("");
    assertThat(IcebergWiring.catalogProperties(c)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "type", "jdbc",
        "uri", "jdbc:sqlite:/srv/t/iceberg-catalog.sqlite",
        "jdbc.schema-version", "V1",
        "warehouse", "/srv/t/lake",
        "io-impl", LocalFileIO.class.getName()));
    assertThat(IcebergWiring.tableLocation(c)).isEqualTo("/srv/t/lake/enriched");
  }

  @Test
  void aConfiguredCatalogIsPassedThroughAndPlacesTheTable() throws Exception {
    TributaryConfig c = load("""
        lake:
          iceberg:
            commit_seconds: 5
            commit_records: 1000
            catalog:
              type: rest
              uri: http://127.0.0.1:8181
              warehouse: analytics
              token: secret-token-1
        """);
    assertThat(c.lake().iceberg().commitSeconds()).isEqualTo(5);
    assertThat(c.lake().iceberg().commitRecords()).isEqualTo(1000);
    assertThat(IcebergWiring.catalogProperties(c)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "type", "rest", "uri", "http://127.0.0.1:8181", "warehouse", "analytics",
        "token", "secret-token-1",
        // s3:// locations through S3FileIO, local ones without Hadoop's file system
        "io-impl", ResolvingLocalFileIO.class.getName()));
    assertThat(IcebergWiring.tableLocation(c)).isNull();
    assertThat(c.lake().iceberg().toString()).doesNotContain("secret-token-1");
  }

  @Test
  void onS3TheFilesGoThroughS3FileIoWithTheLakeBucketSettings() throws Exception {
    TributaryConfig c = load("""
        lake:
          store: s3
          s3:
            bucket: my-lake
            prefix: /data/lake/
            endpoint: http://127.0.0.1:9000
            path_style: true
            access_key_id: AKIAEXAMPLE
            secret_access_key: example-secret
        """);
    assertThat(IcebergWiring.catalogProperties(c)).contains(
        Map.entry("warehouse", "s3://my-lake/data/lake"),
        Map.entry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO"),
        Map.entry("s3.endpoint", "http://127.0.0.1:9000"),
        Map.entry("s3.path-style-access", "true"),
        Map.entry("client.region", "us-east-1"),
        Map.entry("s3.access-key-id", "AKIAEXAMPLE"),
        Map.entry("s3.secret-access-key", "example-secret"),
        Map.entry("http-client.type", "urlconnection"));
    assertThat(IcebergWiring.tableLocation(c)).isEqualTo("s3://my-lake/data/lake/enriched");
  }

  @Test
  void theUsersIoImplWinsOverTheDerivedOne() throws Exception {
    TributaryConfig c = load("""
        lake:
          iceberg:
            catalog:
              type: rest
              uri: http://127.0.0.1:8181
              io-impl: org.apache.iceberg.aws.s3.S3FileIO
        """);
    assertThat(IcebergWiring.catalogProperties(c))
        .containsEntry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
  }

  @Test
  void badValuesAreRejectedWithTheKeyNamed() {
    assertThatThrownBy(() -> load("lake:\n  iceberg:\n    commit_seconds: 0\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("lake.iceberg.commit_seconds");
    assertThatThrownBy(() -> load("lake:\n  iceberg:\n    commit_records: -1\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("lake.iceberg.commit_records");
    assertThatThrownBy(() -> load("lake:\n  iceberg:\n    comit_seconds: 5\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("lake.iceberg.comit_seconds");
    assertThatThrownBy(() -> IcebergWiring.catalog(load("lake:\n  iceberg:\n    catalog:\n      type: nope\n")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cannot open the Iceberg catalog");
  }
}
