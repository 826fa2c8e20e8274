package io.tributary.lake.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;

/**
 * Iceberg files on the local file system, without Hadoop's file system layer (which would bring all
 * of Hadoop). Locations are absolute paths or {@code file:} URIs. Selected by the catalog property
 * {@code io-impl}, so it is public with a no-argument constructor.
 */
public final class LocalFileIO implements FileIO {

  @Override
  public InputFile newInputFile(String location) {
    return org.apache.iceberg.Files.localInput(path(location).toFile());
  }

  @Override
  public OutputFile newOutputFile(String location) {
    Path path = path(location);
    try {
      Files.createDirectories(path.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory of " + location, e);
    }
    return org.apache.iceberg.Files.localOutput(path.toFile());
  }

  @Override
  public void deleteFile(String location) {
    try {
      Files.deleteIfExists(path(location));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + location, e);
    }
  }

  /** The local path of a location: {@code /a/b}, {@code file:/a/b} or {@code file:///a/b}. */
  static Path path(String location) {
    if (location.startsWith("file:")) {
      String rest = location.substring("file:".length());
      return Paths.get(rest.startsWith("///") ? rest.substring(2) : rest);
    }
    return Paths.get(location);
  }
}
