package io.tributary.lake.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.lake.s3.S3ProxyServer;
import java.nio.file.Path;
import java.util.Map;
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
        IcebergTables.assertArchivesAndResumes(catalog, "s3://lake-bucket/lake/enriched",
            "s3://lake-bucket/lake/enriched/data/", 25);
      } finally {
        IcebergTables.close(catalog);
      }
    }
  }
}
