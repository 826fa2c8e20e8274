package io.tributary.lake.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.RetriableException;
import io.tributary.lake.LakeStore;
import io.tributary.lake.LakeStoreContractTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** The {@link LakeStore} contract on S3Proxy, plus what is particular to a bucket. */
class S3LakeStoreTest extends LakeStoreContractTest {
  private static final String BUCKET = "lake-contract";
  /** Small pages, so that the contract's listing spans several ListObjectsV2 calls. */
  private static final int PAGE = 100;
  private static final AtomicInteger TESTS = new AtomicInteger();

  private static S3ProxyServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start().createBucket(BUCKET);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  /** Each test gets its own prefix in the bucket: the prefix is part of what is tested. */
  @Override
  protected LakeStore newStore() {
    return store(BUCKET, "tenant-" + TESTS.incrementAndGet() + "/lake", PAGE);
  }

  private static S3LakeStore store(String bucket, String prefix, int pageSize) {
    S3LakeSettings settings = server.settings(bucket, prefix);
    return new S3LakeStore(S3LakeStore.client(settings), bucket, settings.prefix(), pageSize);
  }

  private static byte[] bytes(String s) {
    return utf8(s);
  }

  @Test
  void objectsAreKeysUnderThePrefixAndTheLocationSaysWhere() {
    S3LakeStore s = store(BUCKET, "/one/lake/", PAGE);
    try (s) {
      s.put("raw/dt=2026-11-22/hr=13/part-1.ndjson.gz", bytes("x"));
      assertThat(s.location()).isEqualTo("s3://lake-contract/one/lake");
      assertThat(server.client().getObjectAsBytes(
          b -> b.bucket(BUCKET).key("one/lake/raw/dt=2026-11-22/hr=13/part-1.ndjson.gz")).asUtf8String())
          .isEqualTo("x");
    }
  }

  @Test
  void prefixesKeepLakesApartAndTheEmptyPrefixIsTheBucketRoot() throws Exception {
    server.createBucket("shared");
    try (S3LakeStore a = store("shared", "a", PAGE); S3LakeStore b = store("shared", "b", PAGE);
        S3LakeStore root = store("shared", "", PAGE)) {
      a.put("raw/x", bytes("a"));
      b.put("raw/x", bytes("b"));
      assertThat(a.list("")).containsExactly("raw/x");
      assertThat(new String(b.get("raw/x").orElseThrow(), "UTF-8")).isEqualTo("b");
      assertThat(root.list("")).containsExactly("a/raw/x", "b/raw/x");
      assertThat(root.location()).isEqualTo("s3://shared");
    }
  }

  @Test
  void listingBeyondOneDefaultPageOfAThousandKeys() throws Exception {
    server.createBucket("big");
    List<String> expected = IntStream.range(0, 1_100)
        .mapToObj(i -> String.format("raw/dt=2026-11-22/hr=%02d/part-%05d", i % 24, i)).sorted().toList();
    try (S3LakeStore s = store("big", "lake", S3LakeStore.PAGE_SIZE)) {
      var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        List<java.util.concurrent.Future<?>> puts = new ArrayList<>();
        expected.forEach(p -> puts.add(pool.submit(() -> s.put(p, bytes("1")))));
        for (var f : puts) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(s.list("raw/")).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void keysThatAreNotLakePathsAreNotListed() {
    String prefix = "tenant-" + TESTS.get() + "/lake/";
    store.put("raw/a", bytes("1"));
    // what consoles and other tools leave in a bucket
    for (String key : List.of("raw/", "raw/dir/", "raw/.hidden", "raw/dir/.keep")) {
      server.client().putObject(b -> b.bucket(BUCKET).key(prefix + key), RequestBody.fromString("x"));
    }
    assertThat(store.list("")).containsExactly("raw/a");
  }

  @Test
  void aMissingBucketIsAFailureNamingBucketAndKeyNotAMissingObject() {
    try (S3LakeStore s = store("no-such-bucket", "lake", PAGE)) {
      assertThatThrownBy(() -> s.get("raw/x")).isInstanceOf(RetriableException.class)
          .hasMessageContaining("s3://no-such-bucket/lake/raw/x").hasMessageContaining("NoSuchBucket");
      assertThatThrownBy(() -> s.put("raw/x", bytes("1"))).isInstanceOf(RetriableException.class)
          .hasMessageContaining("cannot write s3://no-such-bucket/lake/raw/x");
      assertThatThrownBy(() -> s.list("raw/")).isInstanceOf(RetriableException.class)
          .hasMessageContaining("cannot list s3://no-such-bucket/lake/raw/");
    }
  }

  @Test
  void wrongCredentialsAreAFailureThatDoesNotShowTheSecret() {
    String secret = "wrong-secret-that-must-not-appear";
    S3LakeSettings wrong = new S3LakeSettings(BUCKET, "lake", server.endpoint(), "us-east-1", true,
        S3ProxyServer.ACCESS_KEY_ID, secret);
    try (S3LakeStore s = S3LakeStore.open(wrong)) {
      assertThatThrownBy(() -> s.put("raw/x", bytes("1"))).isInstanceOf(RetriableException.class)
          .hasMessageContaining("s3://" + BUCKET + "/lake/raw/x").hasMessageContaining("403")
          .satisfies(e -> assertThat(e.toString()).doesNotContain(secret));
      assertThat(wrong.toString()).doesNotContain(secret).contains(S3ProxyServer.ACCESS_KEY_ID);
    }
  }

  @Test
  void anUnreachableServerIsARetriableFailure() {
    S3LakeSettings down = new S3LakeSettings(BUCKET, "lake", URI.create("http://127.0.0.1:1"),
        "us-east-1", true, "k", "s");
    try (S3LakeStore s = S3LakeStore.open(down)) {
      assertThatThrownBy(() -> s.get("raw/x")).isInstanceOf(RetriableException.class)
          .hasMessageContaining("cannot read s3://" + BUCKET + "/lake/raw/x");
    }
  }

  @Test
  void settingsAreCheckedAndNormalised() {
    assertThatThrownBy(() -> new S3LakeSettings(" ", "", null, null, false, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucket");
    assertThatThrownBy(() -> new S3LakeSettings("b", "", null, null, false, "id", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("together");
    assertThatThrownBy(() -> new S3LakeSettings("b", "../x", null, null, false, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new S3LakeSettings("b", "//a/b//", null, null, false, null, null).uri())
        .isEqualTo("s3://b/a/b");
    assertThat(new S3LakeSettings("b", null, null, null, false, null, null).uri()).isEqualTo("s3://b");
  }
}
