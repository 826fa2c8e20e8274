package io.tributary.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@link LakeStore} contract, plus what is particular to a directory. */
class LocalLakeStoreTest extends LakeStoreContractTest {
  @TempDir Path dir;

  private Path root() {
    return dir.resolve("lake");
  }

  @Override
  protected LakeStore newStore() {
    return new LocalLakeStore(root());
  }

  @Test
  void objectsAreFilesUnderTheRoot() {
    byte[] data = {0, 1, 2, (byte) 0xff, '\n'};
    store.put("raw/dt=2026-11-22/hr=13/part-a.ndjson.gz", data);
    assertThat(root().resolve("raw/dt=2026-11-22/hr=13/part-a.ndjson.gz")).hasBinaryContent(data);
  }

  @Test
  void listOfALakeThatDoesNotExistYetIsEmpty() {
    assertThat(root()).doesNotExist();
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void listSkipsHiddenTemporaryFiles() throws IOException {
    store.put("raw/dt=2026-11-22/hr=13/part-1.ndjson.gz", utf8("x"));
    // what an interrupted put leaves behind
    Path hourDir = root().resolve("raw/dt=2026-11-22/hr=13");
    Files.write(hourDir.resolve(".part-2.ndjson.gz.tmp-0b7c2f5e-1111-2222-3333-444455556666"),
        utf8("half"));

    assertThat(store.list("raw/")).containsExactly("raw/dt=2026-11-22/hr=13/part-1.ndjson.gz");
    assertThat(store.list("")).containsExactly("raw/dt=2026-11-22/hr=13/part-1.ndjson.gz");
  }

  @Test
  void putLeavesNoTemporaryFileBehind() throws IOException {
    for (int i = 0; i < 5; i++) {
      store.put("raw/x/p" + i, utf8("v" + i));
      store.put("raw/x/p" + i, utf8("w" + i));
    }
    try (Stream<Path> files = Files.walk(root())) {
      assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .hasSize(5)
          .noneMatch(n -> n.startsWith("."));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "../lake2/x", "a/../../x", "/tmp/x", "a/../b"})
  void rejectedPathsWriteNothingAnywhere(String path) {
    assertThatThrownBy(() -> store.put(path, utf8("evil")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(dir.resolve("x")).doesNotExist();
    assertThat(dir.resolve("lake2")).doesNotExist();
    assertThat(root().resolve("b")).doesNotExist();
  }

  @Test
  void locationIsTheAbsoluteRoot() {
    assertThat(store.location()).isEqualTo(root().toAbsolutePath().normalize().toString());
  }
}
