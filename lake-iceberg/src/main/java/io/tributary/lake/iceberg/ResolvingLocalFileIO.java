package io.tributary.lake.iceberg;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.ResolvingFileIO;

/**
 * Iceberg's {@link ResolvingFileIO}, a REST catalog's default FileIO ({@code S3FileIO} for {@code
 * s3://} locations, ...), with local locations (absolute paths, {@code file:} URIs) on {@link
 * LocalFileIO}: Iceberg resolves those to Hadoop's file system, which Tributary does not ship (the
 * first write failed with {@code NoClassDefFoundError}). Selected by the catalog property {@code
 * io-impl}, so it is public with a no-argument constructor.
 */
public final class ResolvingLocalFileIO extends ResolvingFileIO {
  private final LocalFileIO local = new LocalFileIO();

  static boolean isLocal(String location) {
    int colon = location.indexOf(':');
    return colon < 0 || location.startsWith("file:");
  }

  /**
   * A location Tributary has no FileIO for: Iceberg would fall back to Hadoop's file system (not
   * shipped) and fail with an {@code Error}, which reads as a broken installation; this says what
   * is supported instead. Local locations are handled before.
   */
  private static String remote(String location) {
    String scheme = location.substring(0, location.indexOf(':'));
    if (!scheme.equals("s3") && !scheme.equals("s3a") && !scheme.equals("s3n")) {
      throw new UnsupportedOperationException("Tributary reads and writes Iceberg files on local"
          + " disk and S3-compatible storage (s3://), not " + scheme + "://: " + location
          + " (for Google Cloud Storage, use its S3-compatible endpoint; see docs/scale-out.md)");
    }
    return location;
  }

  @Override
  public InputFile newInputFile(String location) {
    return isLocal(location) ? local.newInputFile(location) : super.newInputFile(remote(location));
  }

  @Override
  public InputFile newInputFile(String location, long length) {
    return isLocal(location) ? local.newInputFile(location)
        : super.newInputFile(remote(location), length);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return isLocal(location) ? local.newOutputFile(location) : super.newOutputFile(remote(location));
  }

  @Override
  public void deleteFile(String location) {
    if (isLocal(location)) {
      local.deleteFile(location);
    } else {
      super.deleteFile(remote(location));
    }
  }

  @Override
  public void deleteFiles(Iterable<String> locations) {
    List<String> remote = new ArrayList<>();
    for (String location : locations) {
      if (isLocal(location)) {
        local.deleteFile(location);
      } else {
        remote.add(remote(location));
      }
    }
    if (!remote.isEmpty()) {
      super.deleteFiles(remote);
    }
  }

  @Override
  public Iterable<FileInfo> listPrefix(String prefix) {
    checkRemote(prefix);
    return super.listPrefix(prefix);
  }

  @Override
  public void deletePrefix(String prefix) {
    checkRemote(prefix);
    super.deletePrefix(prefix);
  }

  private static void checkRemote(String prefix) {
    if (isLocal(prefix)) {
      throw new UnsupportedOperationException(
          "prefix operations are not supported on local files: " + prefix);
    }
    remote(prefix);
  }
}
