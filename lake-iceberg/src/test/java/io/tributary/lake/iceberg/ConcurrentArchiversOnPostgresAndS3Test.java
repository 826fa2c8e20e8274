package io.tributary.lake.iceberg;

import io.tributary.lake.s3.S3ProxyServer;
import io.tributary.testkit.EmbeddedPostgres;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The concurrent-archiver cases of {@link ConcurrentArchiversTest} on the scale-out setup: a shared
 * JDBC catalog on a real PostgreSQL server and the table's files in an S3 bucket (S3Proxy), each
 * archiver with its own catalog client and S3 client.
 */
class ConcurrentArchiversOnPostgresAndS3Test extends ConcurrentArchiversTest {
  private static EmbeddedPostgres postgres;
  private static S3ProxyServer s3;
  private static int databases;
  private String catalogUrl;
  private String bucket;

  @BeforeAll
  static void startServers() throws Exception {
    postgres = EmbeddedPostgres.start();
    s3 = S3ProxyServer.start();
  }

  @AfterAll
  static void stopServers() throws Exception {
    if (s3 != null) {
      s3.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  /** A fresh catalog database and bucket per test. */
  @BeforeEach
  void freshCatalogAndBucket() throws Exception {
    databases++;
    catalogUrl = postgres.createDatabase("catalog_" + databases);
    bucket = "lake-" + databases;
    s3.createBucket(bucket);
  }

  @Override
  Catalog newCatalogClient() {
    Map<String, String> props = new HashMap<>(IcebergTables.s3Client(s3));
    props.putAll(Map.of(
        "type", "jdbc",
        "uri", catalogUrl,
        "warehouse", "s3://" + bucket + "/lake",
        "io-impl", "org.apache.iceberg.aws.s3.S3FileIO"));
    return IcebergCatalogs.open("tributary", props);
  }
}
