package io.tributary.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalLakeStoreTest {
  @TempDir Path dir;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private Path root() {
    return dir.resolve("lake");
  }

  @Test
  void putThenGetReturnsTheSameBytes() {
    LocalLakeStore store = new LocalLakeStore(root());
    byte[] data = {0, 1, 2, (byte) 0xff, '\n'};

    store.put("raw/dt=2026-11-22/hr=13/part-a.ndjson.gz", data);

    assertThat(store.get("raw/dt=2026-11-22/hr=13/part-a.ndjson.gz")).hasValue(data);
    assertThat(root().resolve("raw/dt=2026-11-22/hr=13/part-a.ndjson.gz")).hasBinaryContent(data);
  }

  @Test
  void putOfAnEmptyObjectWorks() {
    LocalLakeStore store = new LocalLakeStore(root());
    store.put("empty", new byte[0]);
    assertThat(store.get("empty")).hasValueSatisfying(b -> assertThat(b).isEmpty());
  }

  @Test
  void overwriteReplacesTheContent() {
    LocalLakeStore store = new LocalLakeStore(root());
    store.put("a/b.json", utf8("first, longer content"));
    store.put("a/b.json", utf8("second"));

    assertThat(store.get("a/b.json")).hasValueSatisfying(
        b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("second"));
    assertThat(store.list("a/")).containsExactly("a/b.json");
  }

  @Test
  void missingObjectIsEmpty() {
    LocalLakeStore store = new LocalLakeStore(root());
    assertThat(store.get("nope/missing.json")).isEmpty();
    store.put("x", utf8("1"));
    assertThat(store.get("y")).isEmpty();
  }

  @Test
  void listFiltersByPrefixAndSorts() {
    LocalLakeStore store = new LocalLakeStore(root());
    store.put("raw/dt=2026-11-22/hr=14/part-2", utf8("c"));
    store.put("raw/dt=2026-11-22/hr=13/part-1", utf8("b"));
    store.put("raw/dt=2026-11-21/hr=23/part-0", utf8("a"));
    store.put("_checkpoints/raw/partition-00000.json", utf8("{}"));
    store.put("other/file", utf8("d"));

    assertThat(store.list("raw/")).containsExactly(
        "raw/dt=2026-11-21/hr=23/part-0",
        "raw/dt=2026-11-22/hr=13/part-1",
        "raw/dt=2026-11-22/hr=14/part-2");
    assertThat(store.list("raw/dt=2026-11-22/")).containsExactly(
        "raw/dt=2026-11-22/hr=13/part-1", "raw/dt=2026-11-22/hr=14/part-2");
    assertThat(store.list("_checkpoints/")).containsExactly("_checkpoints/raw/partition-00000.json");
    assertThat(store.list("")).hasSize(5).isSorted();
    assertThat(store.list("nothing/")).isEmpty();
  }

  @Test
  void listOfALakeThatDoesNotExistYetIsEmpty() {
    assertThat(new LocalLakeStore(root()).list("")).isEmpty();
  }

  @Test
  void listSkipsHiddenTemporaryFiles() throws IOException {
    LocalLakeStore store = new LocalLakeStore(root());
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
    LocalLakeStore store = new LocalLakeStore(root());
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
  @ValueSource(strings = {"../x", "../lake2/x", "a/../../x", "raw/../../../etc/passwd", "/tmp/x", ""})
  void pathsOutsideTheRootAreRejected(String path) {
    LocalLakeStore store = new LocalLakeStore(root());
    store.put("inside", utf8("1"));

    assertThatThrownBy(() -> store.put(path, utf8("evil")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inside the lake");
    assertThatThrownBy(() -> store.get(path)).isInstanceOf(IllegalArgumentException.class);
    assertThat(dir.resolve("x")).doesNotExist();
    assertThat(dir.resolve("lake2")).doesNotExist();
  }

  @Test
  void dotDotThatStaysInsideTheRootIsFine() {
    LocalLakeStore store = new LocalLakeStore(root());
    store.put("a/../b", utf8("1"));
    assertThat(store.get("b")).isPresent();
    assertThat(store.list("")).containsExactly("b");
  }

  @Test
  void pathsThatAreTheRootItselfAreRejected() {
    LocalLakeStore store = new LocalLakeStore(root());
    store.put("inside", utf8("1"));

    for (String path : List.of(".", "a/..", "./")) {
      assertThatThrownBy(() -> store.put(path, utf8("evil")))
          .as("put(%s)", path)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.get(path))
          .as("get(%s)", path)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(store.get("inside")).isPresent();
  }

  @Test
  void locationIsTheAbsoluteRoot() {
    LocalLakeStore store = new LocalLakeStore(root());
    assertThat(store.location()).isEqualTo(root().toAbsolutePath().normalize().toString());
  }
}
