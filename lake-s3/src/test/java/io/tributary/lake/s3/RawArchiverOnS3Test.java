package io.tributary.lake.s3;

import io.tributary.lake.LakeStore;
import io.tributary.lake.RawArchiverTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every raw archiver test, including the crash-and-recover ones, with the lake in a bucket on S3Proxy.
 * Each test has its own prefix; each store made in a test is a new client, as after a restart.
 */
class RawArchiverOnS3Test extends RawArchiverTest {
  private static final String BUCKET = "archiver";
  private static final AtomicInteger TESTS = new AtomicInteger();
  private static S3ProxyServer server;

  private final String test = "test-" + TESTS.incrementAndGet();
  private final List<S3LakeStore> opened = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    server = S3ProxyServer.start().createBucket(BUCKET);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Override
  protected LakeStore newStore(String name) {
    S3LakeStore store = S3LakeStore.open(server.settings(BUCKET, test + "/" + name));
    opened.add(store);
    return store;
  }

  @AfterEach
  void closeStores() {
    opened.forEach(S3LakeStore::close);
  }
}
