package io.tributary.lake.iceberg;

import io.tributary.core.ConfigException;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;

/** Opens an Iceberg catalog from its properties ({@code type: jdbc|rest}, {@code uri}, {@code warehouse}, ...). */
public final class IcebergCatalogs {
  /** The catalog property naming the FileIO; for files on the local disk, {@link LocalFileIO}. */
  public static final String IO_IMPL = CatalogProperties.FILE_IO_IMPL;

  private IcebergCatalogs() {}

  /**
   * Opens the catalog. Iceberg's own properties apply ({@code type}, {@code catalog-impl}, {@code
   * uri}, {@code warehouse}, {@code io-impl}, {@code jdbc.*}, {@code s3.*}, ...); the caller closes
   * it when it is {@link AutoCloseable}.
   *
   * @throws ConfigException when the properties do not make a catalog
   */
  public static Catalog open(String name, Map<String, String> properties) {
    try {
      return CatalogUtil.buildIcebergCatalog(name, properties, null);
    } catch (IllegalArgumentException | NullPointerException | IllegalStateException
        | UnsupportedOperationException e) {
      throw new ConfigException("cannot open the Iceberg catalog (" + safe(properties) + "): "
          + e.getMessage(), e);
    }
  }

  /** The properties with secrets masked, for messages. */
  public static String safe(Map<String, String> properties) {
    StringBuilder sb = new StringBuilder("{");
    new java.util.TreeMap<>(properties).forEach((k, v) -> {
      sb.append(sb.length() == 1 ? "" : ", ").append(k).append('=');
      String lower = k.toLowerCase(java.util.Locale.ROOT);
      boolean secret = lower.contains("secret") || lower.contains("password")
          || lower.contains("token") || lower.contains("credential");
      sb.append(secret ? "***" : v);
    });
    return sb.append('}').toString();
  }
}
