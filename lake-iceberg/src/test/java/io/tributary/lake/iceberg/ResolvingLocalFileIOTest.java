package io.tributary.lake.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.io.FileIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolvingLocalFileIOTest {
  @TempDir Path dir;

  ResolvingLocalFileIO io() {
    ResolvingLocalFileIO io = new ResolvingLocalFileIO();
    io.initialize(Map.of("client.region", "us-east-1", "http-client.type", "urlconnection"));
    return io;
  }

  static void write(FileIO io, String location, String text) throws IOException {
    try (OutputStream out = io.newOutputFile(location).create()) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  static String read(FileIO io, String location) throws IOException {
    try (InputStream in = io.newInputFile(location).newStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void localPathsAndFileUrisAreWrittenReadAndDeletedOnTheLocalDisk() throws IOException {
    try (ResolvingLocalFileIO io = io()) {
      Path a = dir.resolve("data/a.parquet");
      Path b = dir.resolve("data/b.parquet");
      write(io, a.toString(), "a");
      write(io, b.toUri().toString(), "b");
      assertThat(Files.readString(a)).isEqualTo("a");
      assertThat(Files.readString(b)).isEqualTo("b");
      assertThat(read(io, a.toUri().toString())).isEqualTo("a");
      assertThat(io.newInputFile(b.toString(), 1).getLength()).isEqualTo(1);

      io.deleteFile(a.toString());
      assertThat(a).doesNotExist();
      write(io, a.toString(), "a");
      io.deleteFiles(List.of(a.toString(), b.toUri().toString()));
      assertThat(a).doesNotExist();
      assertThat(b).doesNotExist();
    }
  }

  @Test
  void objectStoreLocationsGoToIcebergsFileIoForTheirScheme() {
    try (ResolvingLocalFileIO io = io()) {
      assertThat(io.newOutputFile("s3://lake/enriched/data/x.parquet").getClass().getName())
          .isEqualTo("org.apache.iceberg.aws.s3.S3OutputFile");
      assertThat(io.ioClass("s3://lake/x").getName()).isEqualTo("org.apache.iceberg.aws.s3.S3FileIO");
    }
  }

  @Test
  void prefixOperationsOnLocalFilesAreRefusedByName() {
    try (ResolvingLocalFileIO io = io()) {
      assertThatThrownBy(() -> io.listPrefix(dir.toString()))
          .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining(dir.toString());
      assertThatThrownBy(() -> io.deletePrefix("file:" + dir))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void aLocationOnAStoreWithoutAFileIoIsRefusedWithWhatIsSupported() {
    try (ResolvingLocalFileIO io = io()) {
      for (String location : List.of("gs://bucket/lake/enriched/data/a.parquet",
          "abfs://c@account.dfs.core.windows.net/a.parquet", "hdfs://nn:8020/lake/a.parquet")) {
        assertThatThrownBy(() -> io.newOutputFile(location))
            .isInstanceOf(UnsupportedOperationException.class)
            .hasMessageContaining("local disk and S3-compatible storage")
            .hasMessageContaining(location);
        assertThatThrownBy(() -> io.newInputFile(location))
            .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> io.deleteFile(location))
            .isInstanceOf(UnsupportedOperationException.class);
      }
    }
  }
}
