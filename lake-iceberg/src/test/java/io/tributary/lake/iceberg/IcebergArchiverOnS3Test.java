package io.tributary.lake.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.lake.s3.S3ProxyServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table on S3-compatible storage (S3Proxy on loopback) through Iceberg's S3FileIO, as lake.store: s3 configures it. */
class IcebergArchiverOnS3Test {
  @TempDir Path dir;

  @Test
  void archivesToABucketAndResumesFromTheTableOffsets() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start().createBucket("lake-bucket")) {
      Map<String, String> props = Map.of(
          "type", "jdbc",
          "uri", "jdbc:sqlite:" + dir.resolve("catalog.sqlite"),
          "warehouse", "s3://lake-bucket/lake",
          "io-impl", "org.apache.iceberg.aws.s3.S3FileIO",
          "http-client.type", "urlconnection",
          "s3.endpoint", s3.endpoint().toString(),
          "s3.path-style-access", "true",
          "client.region", "us-east-1",
          "s3.access-key-id", S3ProxyServer.ACCESS_KEY_ID,
          "s3.secret-access-key", S3ProxyServer.SECRET_ACCESS_KEY);
      Catalog catalog = IcebergCatalogs.open("tributary", props);
      try {
        IcebergArchiver a = new IcebergArchiver(catalog, EnrichedTable.ID,
            "s3://lake-bucket/lake/enriched", new IcebergSettings("t", 1000, Duration.ofMinutes(1)),
            Clock.systemUTC());
        a.open(List.of(0));
        a.write(Events.range(0, 0, 25));
        a.flush(true);
        a.close();

        Table table = catalog.loadTable(EnrichedTable.ID);
        assertThat(LakeFiles.list(table)).isNotEmpty()
            .allSatisfy(f -> assertThat(f.path()).startsWith("s3://lake-bucket/lake/enriched/data/"));
        assertThat(IcebergTables.eventIds(table))
            .containsExactlyInAnyOrderElementsOf(Events.ids(0, 0, 25));
        IcebergArchiver b = new IcebergArchiver(catalog, EnrichedTable.ID, null,
            new IcebergSettings("t", 1000, Duration.ofMinutes(1)), Clock.systemUTC());
        assertThat(b.open(List.of(0))).containsEntry(0, 25L);
      } finally {
        IcebergTables.close(catalog);
      }
    }
  }
}
