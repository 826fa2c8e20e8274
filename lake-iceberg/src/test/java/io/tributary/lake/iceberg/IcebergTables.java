package io.tributary.lake.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** Test helpers: a local catalog like Tributary's default one, and the table read back with Iceberg's own reader. */
public final class IcebergTables {
  private IcebergTables() {}

  /** The properties of a JDBC catalog in a SQLite file under {@code dir}, with the warehouse there too. */
  public static Map<String, String> localCatalog(Path dir) {
    return Map.of(
        "type", "jdbc",
        "uri", "jdbc:sqlite:" + dir.resolve("catalog.sqlite").toAbsolutePath(),
        "warehouse", dir.resolve("lake").toAbsolutePath().toString(),
        IcebergCatalogs.IO_IMPL, LocalFileIO.class.getName());
  }

  /** Iceberg's S3 client properties for the S3Proxy server {@code s3} (S3FileIO's own keys). */
  public static Map<String, String> s3Client(io.tributary.lake.s3.S3ProxyServer s3) {
    return Map.of(
        "http-client.type", "urlconnection",
        "s3.endpoint", s3.endpoint().toString(),
        "s3.path-style-access", "true",
        "client.region", "us-east-1",
        "s3.access-key-id", io.tributary.lake.s3.S3ProxyServer.ACCESS_KEY_ID,
        "s3.secret-access-key", io.tributary.lake.s3.S3ProxyServer.SECRET_ACCESS_KEY);
  }

  public static Catalog open(Path dir) {
    return IcebergCatalogs.open("test", localCatalog(dir));
  }

  /** Every row of the table's current snapshot, read with IcebergGenerics. */
  public static List<Record> rows(Table table) {
    table.refresh();
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> all = IcebergGenerics.read(table).build()) {
      all.forEach(r -> rows.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /** The {@code event_id} of every row. */
  public static List<String> eventIds(Table table) {
    return rows(table).stream().map(r -> (String) r.getField("event_id")).toList();
  }

  /**
   * Archives {@code count} events of partition 0 through a new archiver on {@code catalog} (table
   * at {@code location}, or where the catalog puts it when null), then checks that every data file
   * is under {@code filePrefix}, that Iceberg's reader returns exactly those events, and that a
   * new archiver resumes after them.
   */
  public static void assertArchivesAndResumes(Catalog catalog, String location, String filePrefix,
      int count) {
    IcebergArchiver a = archiver(catalog, location);
    a.open(List.of(0));
    a.write(Events.range(0, 0, count));
    assertThat(a.flush(true)).containsEntry(0, (long) count);
    a.close();

    Table table = catalog.loadTable(EnrichedTable.ID);
    assertThat(LakeFiles.list(table)).isNotEmpty()
        .allSatisfy(f -> assertThat(f.path()).startsWith(filePrefix));
    assertThat(eventIds(table)).containsExactlyInAnyOrderElementsOf(Events.ids(0, 0, count));
    assertThat(archiver(catalog, null).open(List.of(0))).containsEntry(0, (long) count);
  }

  private static IcebergArchiver archiver(Catalog catalog, String location) {
    return new IcebergArchiver(catalog, EnrichedTable.ID, location,
        new IcebergSettings("t", 1000, Duration.ofMinutes(1)), Clock.systemUTC());
  }

  public static void close(Catalog catalog) {
    if (catalog instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
