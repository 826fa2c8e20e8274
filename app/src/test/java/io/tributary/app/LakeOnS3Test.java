package io.tributary.app;

import static io.tributary.app.TestTributary.WRITE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.lake.s3.S3LakeStore;
import io.tributary.lake.s3.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With lake.store: s3, the archivers write the raw lake to the bucket (S3Proxy on loopback). */
class LakeOnS3Test {
  private static final String BUCKET = "tributary-lake";

  @TempDir Path dir;

  @Test
  void segmentEventsLandInTheBucketAndNothingInALocalLake() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start().createBucket(BUCKET)) {
      Path configFile = TestTributary.writeConfig(dir.resolve("t"), 0, true);
      TributaryConfig config = ConfigLoader.load(configFile,
          Map.of("TRIBUTARY_LAKE_S3_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_ACCESS_KEY),
          Map.of("lake.store", "s3",
              "lake.s3.bucket", BUCKET,
              "lake.s3.prefix", "prod/lake",
              "lake.s3.endpoint", s3.endpoint().toString(),
              "lake.s3.region", "eu-west-1",
              "lake.s3.path_style", "true",
              "lake.s3.access_key_id", S3ProxyServer.ACCESS_KEY_ID));
      assertThat(config.toString()).doesNotContain(S3ProxyServer.SECRET_ACCESS_KEY);

      ByteArrayOutputStream console = new ByteArrayOutputStream();
      List<String> ids = new ArrayList<>();
      try (Tributary tributary = Tributary.start(config,
          new PrintStream(console, true, StandardCharsets.UTF_8))) {
        for (int batch = 0; batch < 3; batch++) {
          StringBuilder body = new StringBuilder("{\"batch\":[");
          for (int i = 0; i < 4; i++) {
            String id = "s3-msg-" + batch + "-" + i;
            ids.add(id);
            body.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"Order Completed\","
                + "\"userId\":\"u").append(i).append("\",\"messageId\":\"").append(id).append("\"}");
          }
          body.append("]}");
          assertThat(TestTributary.post(tributary.port(), "/v1/batch", WRITE_KEY, body.toString())
              .statusCode()).isEqualTo(200);
        }
        await().atMost(60, TimeUnit.SECONDS).until(() -> tributary.loadedEvents() == ids.size());
        // the archiver consumes on its own; with flush_seconds: 1 its files follow within seconds
        try (S3LakeStore lake = S3LakeStore.open(s3.settings(BUCKET, "prod/lake"))) {
          await().atMost(60, TimeUnit.SECONDS).until(() -> ids.stream().allMatch(rawLake(lake)::contains));
        }
      }

      assertThat(console.toString(StandardCharsets.UTF_8))
          .doesNotContain(S3ProxyServer.SECRET_ACCESS_KEY);
      assertThat(config.lakePath()).doesNotExist();
      try (S3LakeStore lake = S3LakeStore.open(s3.settings(BUCKET, "prod/lake"))) {
        List<String> files = lake.list("raw/");
        assertThat(files).isNotEmpty()
            .allMatch(f -> f.matches("raw/dt=\\d{4}-\\d{2}-\\d{2}/hr=\\d{2}/part-\\d{5}-\\d{20}-\\d{20}"
                + "\\.ndjson\\.gz"));
        String raw = rawLake(lake);
        assertThat(raw.lines()).as("one line per request").hasSize(3);
        for (String id : ids) {
          assertThat(raw).contains(id);
        }
        assertThat(lake.list("_checkpoints/raw/")).isNotEmpty();
      }
      assertThat(s3.client().listObjectsV2(b -> b.bucket(BUCKET)).contents())
          .allMatch(o -> o.key().startsWith("prod/lake/"));
    }
  }

  /** Every line of the raw lake's files. */
  private static String rawLake(S3LakeStore lake) throws IOException {
    StringBuilder raw = new StringBuilder();
    for (String f : lake.list("raw/")) {
      raw.append(gunzip(lake.get(f).orElseThrow()));
    }
    return raw.toString();
  }

  private static String gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theLakeStoreFollowsTheConfig() {
    TributaryConfig local = ConfigLoader.load(null, Map.of(), Map.of("lake.dir", dir.toString()));
    assertThat(Tributary.lakeStore(local).location()).isEqualTo(dir.toAbsolutePath().toString());

    TributaryConfig s3 = ConfigLoader.load(null, Map.of(), Map.of("lake.store", "s3",
        "lake.s3.bucket", "events", "lake.s3.region", "eu-west-1"));
    try (S3LakeStore store = (S3LakeStore) Tributary.lakeStore(s3)) {
      assertThat(store.location()).isEqualTo("s3://events/lake");
    }
    assertThat(Files.exists(dir.resolve("raw"))).isFalse();
  }
}
