package io.tributary.app;

import io.tributary.lake.iceberg.EnrichedTable;
import io.tributary.lake.iceberg.IcebergArchiver;
import io.tributary.lake.iceberg.IcebergCatalogs;
import io.tributary.lake.iceberg.IcebergSettings;
import io.tributary.lake.iceberg.LocalFileIO;
import io.tributary.lake.iceberg.ResolvingLocalFileIO;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;

/**
 * The enriched lake's Iceberg catalog from the configuration: the user's catalog properties as they
 * are, or by default a JDBC catalog in a SQLite file under the data dir; files on the lake's store
 * (the local directory, or the bucket through Iceberg's S3FileIO with the {@code lake.s3} settings),
 * or for a REST catalog on a local store wherever the catalog places the table.
 */
final class IcebergWiring {
  private IcebergWiring() {}

  static Map<String, String> catalogProperties(TributaryConfig config) {
    Map<String, String> props = new HashMap<>(config.lake().iceberg().catalog());
    if (props.isEmpty()) {
      props.put("type", "jdbc");
      props.put("uri", "jdbc:sqlite:"
          + config.dataPath().resolve("iceberg-catalog.sqlite").toAbsolutePath().normalize());
      props.put("jdbc.schema-version", "V1");
    }
    if ("jdbc".equals(props.get("type"))) {
      props.putIfAbsent("warehouse", lakeUri(config));
    }
    if (!props.containsKey(IcebergCatalogs.IO_IMPL)) {
      if (config.lake().store().equals("s3")) {
        s3FileIo(config.lake().s3(), props);
      } else if ("rest".equals(props.get("type"))) {
        // A REST catalog places the table: in a bucket (S3FileIO, as Iceberg resolves it) or on disk.
        props.put(IcebergCatalogs.IO_IMPL, ResolvingLocalFileIO.class.getName());
      } else {
        props.put(IcebergCatalogs.IO_IMPL, LocalFileIO.class.getName());
      }
    }
    return props;
  }

  /** Iceberg's S3FileIO with the lake's bucket settings (the user's own s3.* properties win). */
  private static void s3FileIo(TributaryConfig.S3 s3, Map<String, String> props) {
    props.put(IcebergCatalogs.IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO");
    props.putIfAbsent("http-client.type", "urlconnection");
    if (s3.endpoint() != null) {
      props.putIfAbsent("s3.endpoint", s3.endpoint());
    }
    String region = s3.region() != null ? s3.region() : s3.endpoint() != null ? "us-east-1" : null;
    if (region != null) {
      props.putIfAbsent("client.region", region);
    }
    props.putIfAbsent("s3.path-style-access", String.valueOf(s3.pathStyle()));
    if (s3.accessKeyId() != null) {
      props.putIfAbsent("s3.access-key-id", s3.accessKeyId());
      props.putIfAbsent("s3.secret-access-key", s3.secretAccessKey());
    }
  }

  /** The lake's root as Iceberg locates files: an absolute path, or {@code s3://bucket/prefix}. */
  static String lakeUri(TributaryConfig config) {
    if (config.lake().store().equals("s3")) {
      TributaryConfig.S3 s3 = config.lake().s3();
      String prefix = s3.prefix().replaceAll("^/+|/+$", "");
      return "s3://" + s3.bucket() + (prefix.isEmpty() ? "" : "/" + prefix);
    }
    return config.lakePath().toAbsolutePath().normalize().toString();
  }

  static Catalog catalog(TributaryConfig config) {
    return IcebergCatalogs.open("tributary", catalogProperties(config));
  }

  /**
   * The table goes to {@code <lake>/enriched}, beside {@code raw} and {@code bad}, unless a catalog
   * is configured: then the catalog places it.
   */
  static String tableLocation(TributaryConfig config) {
    return config.lake().iceberg().catalog().isEmpty() ? lakeUri(config) + "/enriched" : null;
  }

  static IcebergArchiver archiver(TributaryConfig config, Catalog catalog, Clock clock) {
    TributaryConfig.Iceberg ice = config.lake().iceberg();
    return new IcebergArchiver(catalog, EnrichedTable.ID, tableLocation(config),
        new IcebergSettings(config.kafka().enrichedTopic(), ice.commitRecords(),
            Duration.ofSeconds(ice.commitSeconds())), clock);
  }
}
