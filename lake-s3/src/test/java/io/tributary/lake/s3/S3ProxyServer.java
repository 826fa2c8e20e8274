package io.tributary.lake.s3;

import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: S3Proxy with its in-memory store, on 127.0.0.1 at a free port,
 * path-style, checking AWS v2/v4 signatures against test credentials.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY_ID = "tributary-test-access-key";
  public static final String SECRET_ACCESS_KEY = "tributary-test-secret-key-0123456789";

  private final S3Proxy proxy;
  private final URI endpoint;
  private final S3Client admin;

  private S3ProxyServer(S3Proxy proxy) {
    this.proxy = proxy;
    this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    this.admin = S3LakeStore.client(settings("unused", ""));
  }

  public static S3ProxyServer start() throws Exception {
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
        .build();
    proxy.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        proxy.stop();
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
    return new S3ProxyServer(proxy);
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Settings for the lake under {@code prefix} in {@code bucket} on this server. */
  public S3LakeSettings settings(String bucket, String prefix) {
    return new S3LakeSettings(bucket, prefix, endpoint, "us-east-1", true, ACCESS_KEY_ID,
        SECRET_ACCESS_KEY);
  }

  public S3ProxyServer createBucket(String bucket) {
    admin.createBucket(b -> b.bucket(bucket));
    return this;
  }

  /** A client with the server's credentials, for looking at the bucket directly. */
  public S3Client client() {
    return admin;
  }

  @Override
  public void close() throws Exception {
    admin.close();
    proxy.stop();
  }
}
