package io.tributary.lake.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/** The live data files of an Iceberg table: what its current snapshot reads. */
public final class LakeFiles {

  /** A data file: its location as the table stores it, and its row count. */
  public record DataFileInfo(String location, long rows) {
    /** The location as a local path when it is a {@code file:} URI, else as stored ({@code s3://...}). */
    public String path() {
      return location.startsWith("file:") ? LocalFileIO.path(location).toString() : location;
    }
  }

  private LakeFiles() {}

  public static List<DataFileInfo> list(Table table) {
    List<DataFileInfo> files = new ArrayList<>();
    if (table.currentSnapshot() == null) {
      return files;
    }
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        files.add(new DataFileInfo(task.file().location(), task.file().recordCount()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the files of " + table.name(), e);
    }
    files.sort(java.util.Comparator.comparing(DataFileInfo::location));
    return files;
  }
}
