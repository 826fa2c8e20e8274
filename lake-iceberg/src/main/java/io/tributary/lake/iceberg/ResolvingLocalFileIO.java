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

  @Override
  public InputFile newInputFile(String location) {
    return isLocal(location) ? local.newInputFile(location) : super.newInputFile(location);
  }

  @Override
  public InputFile newInputFile(String location, long length) {
    return isLocal(location) ? local.newInputFile(location) : super.newInputFile(location, length);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return isLocal(location) ? local.newOutputFile(location) : super.newOutputFile(location);
  }

  @Override
  public void deleteFile(String location) {
    if (isLocal(location)) {
      local.deleteFile(location);
    } else {
      super.deleteFile(location);
    }
  }

  @Override
  public void deleteFiles(Iterable<String> locations) {
    List<String> remote = new ArrayList<>();
    for (String location : locations) {
      if (isLocal(location)) {
        local.deleteFile(location);
      } else {
        remote.add(location);
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
  }
}
