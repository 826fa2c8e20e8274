package io.tributary.lake.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.lake.s3.S3ProxyServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archiver through a real Iceberg REST catalog ({@code type: rest}, as {@code
 * lake.iceberg.catalog} configures it), served over HTTP on 127.0.0.1 by {@link RestCatalogServer}
 * in front of a JDBC catalog.
 */
class IcebergArchiverOnRestCatalogTest {
  static final String TOPIC = "t";
  @TempDir Path dir;
  Catalog backing;
  RestCatalogServer server;

  @BeforeEach
  void startServer() throws Exception {
    backing = IcebergTables.open(dir);
    server = RestCatalogServer.start(backing);
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
    IcebergTables.close(backing);
  }

  /** A REST catalog client's properties as Tributary derives them when the lake is on local disk. */
  static Map<String, String> restCatalog(RestCatalogServer server) {
    return Map.of(
        "type", "rest",
        "uri", server.uri().toString(),
        IcebergCatalogs.IO_IMPL, ResolvingLocalFileIO.class.getName());
  }

  IcebergArchiver archiver(Catalog catalog) {
    return new IcebergArchiver(catalog, EnrichedTable.ID, null,
        new IcebergSettings(TOPIC, 1000, Duration.ofMinutes(1)), Clock.systemUTC());
  }

  @Test
  void rowsCommittedThroughTheRestCatalogAreReadBackWithTheirOffsets() {
    Catalog catalog = IcebergCatalogs.open("tributary", restCatalog(server));
    try {
      assertThat(catalog).isInstanceOf(RESTCatalog.class);
      IcebergArchiver archiver = archiver(catalog);
      assertThat(archiver.open(List.of(0, 1))).isEmpty();
      archiver.write(Events.range(0, 0, 25));
      archiver.write(Events.range(1, 0, 5));
      assertThat(archiver.flush(true)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 25L, 1, 5L));
      archiver.close();

      Table table = catalog.loadTable(EnrichedTable.ID);
      List<String> expected = new ArrayList<>(Events.ids(0, 0, 25));
      expected.addAll(Events.ids(1, 0, 5));
      assertThat(IcebergTables.eventIds(table)).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(table.currentSnapshot().summary())
          .containsEntry(TableOffsets.key(TOPIC, 0), "25")
          .containsEntry(TableOffsets.key(TOPIC, 1), "5");
      assertThat(LakeFiles.list(table)).isNotEmpty()
          .allSatisfy(f -> assertThat(f.path()).startsWith(dir.resolve("lake").toString()));
      // The commit went through the service into the catalog behind it.
      assertThat(server.tableCommits()).isPositive();
      assertThat(backing.loadTable(EnrichedTable.ID).currentSnapshot().snapshotId())
          .isEqualTo(table.currentSnapshot().snapshotId());
    } finally {
      IcebergTables.close(catalog);
    }
  }

  @Test
  void aRestartedArchiverResumesFromTheOffsetsInTheTable() {
    Catalog first = IcebergCatalogs.open("tributary", restCatalog(server));
    try {
      IcebergArchiver a = archiver(first);
      a.open(List.of(0));
      a.write(Events.range(0, 0, 10));
      a.flush(true);
      a.write(Events.range(0, 10, 14)); // read but never committed: lost with the process
      a.close();
    } finally {
      IcebergTables.close(first);
    }

    Catalog second = IcebergCatalogs.open("tributary", restCatalog(server));
    try {
      IcebergArchiver b = archiver(second);
      assertThat(b.open(List.of(0))).containsExactlyEntriesOf(Map.of(0, 10L));
      b.write(Events.range(0, 10, 20));
      assertThat(b.flush(true)).containsEntry(0, 20L);
      b.close();
      assertThat(IcebergTables.eventIds(second.loadTable(EnrichedTable.ID)))
          .containsExactlyInAnyOrderElementsOf(Events.ids(0, 0, 20));
    } finally {
      IcebergTables.close(second);
    }
  }

  @Test
  void aRestCatalogWhoseTablesAreInABucketIsWrittenThroughS3FileIo() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start().createBucket("lake-bucket")) {
      Map<String, String> s3Client = IcebergTables.s3Client(s3);
      Map<String, String> serverCatalog = new HashMap<>(s3Client);
      serverCatalog.putAll(Map.of(
          "type", "jdbc",
          "uri", "jdbc:sqlite:" + dir.resolve("s3-catalog.sqlite"),
          "warehouse", "s3://lake-bucket/warehouse",
          IcebergCatalogs.IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO"));
      Catalog s3Backing = IcebergCatalogs.open("service", serverCatalog);
      Map<String, String> client = new HashMap<>(s3Client);
      try (RestCatalogServer s3Server = RestCatalogServer.start(s3Backing)) {
        client.putAll(restCatalog(s3Server));
        Catalog catalog = IcebergCatalogs.open("tributary", client);
        try {
          IcebergTables.assertArchivesAndResumes(catalog, null, "s3://lake-bucket/warehouse/", 12);
        } finally {
          IcebergTables.close(catalog);
        }
      } finally {
        IcebergTables.close(s3Backing);
      }
    }
  }
}
