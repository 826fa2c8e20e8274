package io.tributary.lake.iceberg;

import io.tributary.lake.s3.S3ProxyServer;
import java.nio.file.Path;
import java.util.HashMap;
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
      Map<String, String> props = new HashMap<>(IcebergTables.s3Client(s3));
      props.putAll(Map.of(
          "type", "jdbc",
          "uri", "jdbc:sqlite:" + dir.resolve("catalog.sqlite"),
          "warehouse", "s3://lake-bucket/lake",
          "io-impl", "org.apache.iceberg.aws.s3.S3FileIO"));
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
