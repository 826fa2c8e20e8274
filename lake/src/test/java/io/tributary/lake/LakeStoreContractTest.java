package io.tributary.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of {@link LakeStore}, passed by every store: extend it and return a new, empty store
 * from {@link #newStore()}. The local directory store and the S3 store both run it.
 */
public abstract class LakeStoreContractTest {
  /** How many objects the listing test writes; stores with pages make it span several of them. */
  protected static final int MANY = 250;

  protected LakeStore store;

  /** A new store holding no object, used by one test. */
  protected abstract LakeStore newStore() throws Exception;

  @BeforeEach
  void createStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() throws Exception {
    if (store instanceof AutoCloseable c) {
      c.close();
    }
  }

  protected static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private String text(String path) {
    return new String(store.get(path).orElseThrow(), StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- put and get

  @Test
  void putThenGetReturnsTheSameBytes() {
    store.put("raw/dt=2026-11-22/hr=13/part-a.ndjson.gz", utf8("{\"a\":1}\n"));
    assertThat(text("raw/dt=2026-11-22/hr=13/part-a.ndjson.gz")).isEqualTo("{\"a\":1}\n");
  }

  @Test
  void binaryContentIsKeptIntact() {
    byte[] everyByte = new byte[256];
    for (int i = 0; i < 256; i++) {
      everyByte[i] = (byte) i;
    }
    byte[] large = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(large);

    store.put("bin/every-byte", everyByte);
    store.put("bin/large", large);

    assertThat(store.get("bin/every-byte")).hasValue(everyByte);
    assertThat(store.get("bin/large")).hasValueSatisfying(b -> assertThat(b).isEqualTo(large));
  }

  @Test
  void anEmptyObjectIsAnObject() {
    store.put("empty", new byte[0]);
    assertThat(store.get("empty")).hasValueSatisfying(b -> assertThat(b).isEmpty());
    assertThat(store.list("")).containsExactly("empty");
  }

  @Test
  void putAgainReplacesTheContent() {
    store.put("a/b.json", utf8("first, longer content"));
    store.put("a/b.json", utf8("second"));

    assertThat(text("a/b.json")).isEqualTo("second");
    assertThat(store.list("a/")).containsExactly("a/b.json");
  }

  @Test
  void repeatingAPutIsIdempotent() {
    byte[] data = utf8("{\"next_offset\":5,\"pending_end\":null}");
    for (int i = 0; i < 3; i++) {
      store.put("_checkpoints/raw/partition-00000.json", data);
    }
    assertThat(store.get("_checkpoints/raw/partition-00000.json")).hasValue(data);
    assertThat(store.list("")).containsExactly("_checkpoints/raw/partition-00000.json");
  }

  @Test
  void getOfAMissingObjectIsEmpty() {
    assertThat(store.get("nope/missing.json")).isEmpty();
    store.put("raw/x/y", utf8("1"));
    assertThat(store.get("raw/x/z")).isEmpty();
    assertThat(store.get("raw/y")).isEmpty();
    // a prefix of an object is not an object
    assertThat(store.get("raw/x")).isEmpty();
    assertThat(store.get("raw")).isEmpty();
  }

  @Test
  void getReturnsACopyTheCallerMayChange() {
    store.put("c", utf8("abc"));
    store.get("c").orElseThrow()[0] = 'z';
    assertThat(text("c")).isEqualTo("abc");
  }

  // ---------------------------------------------------------------- list

  @Test
  void listOfAnEmptyStoreIsEmpty() {
    assertThat(store.list("")).isEmpty();
    assertThat(store.list("raw/")).isEmpty();
  }

  @Test
  void listFiltersByPrefixAndSorts() {
    store.put("raw/dt=2026-11-22/hr=14/part-2", utf8("c"));
    store.put("raw/dt=2026-11-22/hr=13/part-1", utf8("b"));
    store.put("raw/dt=2026-11-21/hr=23/part-0", utf8("a"));
    store.put("_checkpoints/raw/partition-00000.json", utf8("{}"));
    store.put("bad/dt=2026-11-22/hr=13/part-1", utf8("d"));
    store.put("rawer/file", utf8("e"));

    assertThat(store.list("raw/")).containsExactly(
        "raw/dt=2026-11-21/hr=23/part-0",
        "raw/dt=2026-11-22/hr=13/part-1",
        "raw/dt=2026-11-22/hr=14/part-2");
    assertThat(store.list("raw/dt=2026-11-22/")).containsExactly(
        "raw/dt=2026-11-22/hr=13/part-1", "raw/dt=2026-11-22/hr=14/part-2");
    assertThat(store.list("_checkpoints/")).containsExactly("_checkpoints/raw/partition-00000.json");
    assertThat(store.list("nothing/")).isEmpty();
  }

  @Test
  void aPrefixIsAPlainStringPrefixNotADirectory() {
    store.put("raw/dt=2026-11-22/hr=13/p", utf8("1"));
    store.put("raw/dt=2026-11-22/hr=14/p", utf8("2"));
    store.put("raw/dt=2026-11-22/hr=02/p", utf8("3"));
    store.put("rawer/p", utf8("4"));

    assertThat(store.list("raw/dt=2026-11-22/hr=1"))
        .containsExactly("raw/dt=2026-11-22/hr=13/p", "raw/dt=2026-11-22/hr=14/p");
    assertThat(store.list("raw")).containsExactly("raw/dt=2026-11-22/hr=02/p",
        "raw/dt=2026-11-22/hr=13/p", "raw/dt=2026-11-22/hr=14/p", "rawer/p");
    assertThat(store.list("")).hasSize(4).isSorted();
  }

  @Test
  void listFindsNestedPathsAtEveryDepth() {
    List<String> paths = List.of("a", "b/c", "b/d/e", "b/d/f/g/h/i", "b/d/f/g/h/j");
    paths.forEach(p -> store.put(p, utf8(p)));
    assertThat(store.list("")).containsExactlyElementsOf(paths);
    assertThat(store.list("b/d/")).containsExactly("b/d/e", "b/d/f/g/h/i", "b/d/f/g/h/j");
    assertThat(store.list("b/d/f/g/h/")).containsExactly("b/d/f/g/h/i", "b/d/f/g/h/j");
  }

  @Test
  void listIsCompleteWithManyObjects() throws Exception {
    List<String> expected = IntStream.range(0, MANY)
        .mapToObj(i -> String.format("raw/dt=2026-11-22/hr=%02d/part-%05d", i % 24, i)).sorted()
        .toList();
    runConcurrently(8, expected.stream().map(p -> (Runnable) () -> store.put(p, utf8(p))).toList());
    store.put("other/x", utf8("x"));

    assertThat(store.list("raw/")).containsExactlyElementsOf(expected);
    assertThat(store.list("")).hasSize(MANY + 1).isSorted();
  }

  // ---------------------------------------------------------------- paths

  @ParameterizedTest
  @ValueSource(strings = {"", "../x", "../lake2/x", "a/../../x", "raw/../../../etc/passwd", "/tmp/x",
      "/", ".", "./", "a/..", "a/../b", "a/./b", "a//b", "a/", "..", ".hidden", "a/.tmp-1", "a\\b",
      "..\\x"})
  void invalidPathsAreRejectedBeforeAnyIo(String path) {
    store.put("inside", utf8("1"));

    assertThatThrownBy(() -> store.put(path, utf8("evil")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inside the lake");
    assertThatThrownBy(() -> store.get(path)).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.list("")).containsExactly("inside");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../", "/", "/raw/", "a//", "./", ".", "raw/../", "a\\"})
  void invalidPrefixesAreRejected(String prefix) {
    assertThatThrownBy(() -> store.list(prefix)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullIsRejected() {
    assertThatThrownBy(() -> store.put(null, utf8("1"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.get(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.list(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pathsMayHoldTheCharactersOfTheLakeLayout() {
    Set<String> paths = Set.of("raw/dt=2026-11-22/hr=13/part-00003-00000000000000001200.ndjson.gz",
        "bad/a b+c%20d,e;f@g~h_i=j&k");
    paths.forEach(p -> store.put(p, utf8(p)));
    paths.forEach(p -> assertThat(text(p)).isEqualTo(p));
    assertThat(store.list("")).containsExactlyInAnyOrderElementsOf(paths).isSorted();
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void concurrentPutsOfDifferentPathsAllLand() throws Exception {
    List<Runnable> puts = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      for (int i = 0; i < 20; i++) {
        String path = String.format("raw/t%d/p%02d", t, i);
        puts.add(() -> store.put(path, utf8(path)));
      }
    }
    runConcurrently(8, puts);

    List<String> listed = store.list("raw/");
    assertThat(listed).hasSize(160).isSorted();
    listed.forEach(p -> assertThat(text(p)).isEqualTo(p));
  }

  @Test
  void concurrentPutsOfOnePathLeaveOneWholeValue() throws Exception {
    // two archivers retrying the same file: readers see one complete version, never a mix
    byte[] a = new byte[256 * 1024];
    byte[] b = new byte[256 * 1024];
    java.util.Arrays.fill(a, (byte) 'a');
    java.util.Arrays.fill(b, (byte) 'b');
    List<Runnable> puts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      puts.add(() -> store.put("raw/same", a));
      puts.add(() -> store.put("raw/same", b));
    }
    runConcurrently(4, puts);

    byte[] got = store.get("raw/same").orElseThrow();
    assertThat(got).satisfiesAnyOf(g -> assertThat(g).isEqualTo(a), g -> assertThat(g).isEqualTo(b));
    assertThat(store.list("")).containsExactly("raw/same");
  }

  @Test
  void locationIsNamed() {
    assertThat(store.location()).isNotBlank();
  }

  private static void runConcurrently(int threads, List<Runnable> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Runnable task : tasks) {
        futures.add(pool.submit(task));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
