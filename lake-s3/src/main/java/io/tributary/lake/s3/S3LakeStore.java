package io.tributary.lake.s3;

import io.tributary.core.ConfigException;
import io.tributary.core.RetriableException;
import io.tributary.lake.LakePaths;
import io.tributary.lake.LakeStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The lake in an S3 bucket, under a key prefix. A PutObject is atomic by S3's semantics (an object is
 * visible whole or not at all, and a new version replaces the old one whole), and lake paths are
 * deterministic, so a retried put is idempotent. Close it to release the HTTP client.
 */
public final class S3LakeStore implements LakeStore, AutoCloseable {
  static final int PAGE_SIZE = 1000;

  private final S3Client client;
  private final String bucket;
  private final String keyPrefix;
  private final String location;
  private final int pageSize;

  S3LakeStore(S3Client client, String bucket, String prefix, int pageSize) {
    this.client = client;
    this.bucket = bucket;
    this.keyPrefix = prefix.isEmpty() ? "" : prefix + "/";
    this.location = "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    this.pageSize = pageSize;
  }

  /** A store with its own client, built from {@code settings}. */
  public static S3LakeStore open(S3LakeSettings settings) {
    return new S3LakeStore(client(settings), settings.bucket(), settings.prefix(), PAGE_SIZE);
  }

  static S3Client client(S3LakeSettings s) {
    S3ClientBuilder builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60)))
        .credentialsProvider(credentials(s))
        .forcePathStyle(s.pathStyle());
    if (s.endpoint() != null) {
      // S3-compatible servers differ in which of the newer optional checksum headers they accept;
      // with an endpoint, send checksums only where the API requires them.
      builder.endpointOverride(s.endpoint())
          .requestChecksumCalculation(
              software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(
              software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED);
    }
    if (s.region() != null) {
      builder.region(Region.of(s.region()));
    } else if (s.endpoint() != null) {
      builder.region(Region.US_EAST_1);
    }
    try {
      return builder.build();
    } catch (SdkException e) {
      throw new ConfigException("cannot set up the S3 client for " + s.uri() + ": " + e.getMessage(), e);
    }
  }

  private static AwsCredentialsProvider credentials(S3LakeSettings s) {
    if (s.accessKeyId() != null) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey()));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  @Override
  public void put(String path, byte[] data) {
    String key = key(path);
    try {
      client.putObject(b -> b.bucket(bucket).key(key).contentLength((long) data.length),
          RequestBody.fromBytes(data));
    } catch (SdkException e) {
      throw failure("cannot write", key, e);
    }
  }

  @Override
  public Optional<byte[]> get(String path) {
    String key = key(path);
    try {
      ResponseBytes<GetObjectResponse> bytes = client.getObjectAsBytes(b -> b.bucket(bucket).key(key));
      return Optional.of(bytes.asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      // a 404 without the NoSuchKey code is a missing bucket: that is a failure, not an empty object
      if (e.statusCode() == 404 && e.awsErrorDetails() != null
          && "NoSuchKey".equals(e.awsErrorDetails().errorCode())) {
        return Optional.empty();
      }
      throw failure("cannot read", key, e);
    } catch (SdkException e) {
      throw failure("cannot read", key, e);
    }
  }

  @Override
  public List<String> list(String prefix) {
    String keys = keyPrefix + LakePaths.checkPrefix(prefix);
    List<String> paths = new ArrayList<>();
    String token = null;
    try {
      do {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
            .bucket(bucket).prefix(keys).maxKeys(pageSize);
        if (token != null) {
          request.continuationToken(token);
        }
        ListObjectsV2Response page = client.listObjectsV2(request.build());
        for (S3Object object : page.contents()) {
          String path = object.key().substring(keyPrefix.length());
          if (isLakePath(path)) {
            paths.add(path);
          }
        }
        token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
      } while (token != null);
    } catch (SdkException e) {
      throw failure("cannot list", keys, e);
    }
    // S3 sorts by UTF-8 bytes; the contract is String order (the same for the lake's ASCII paths).
    paths.sort(null);
    return paths;
  }

  /** Objects that others put under the prefix (console "folder" markers, …) are not lake objects. */
  private static boolean isLakePath(String path) {
    try {
      LakePaths.check(path);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public void close() {
    client.close();
  }

  private String key(String path) {
    return keyPrefix + LakePaths.check(path);
  }

  private RetriableException failure(String what, String key, SdkException e) {
    String detail = e instanceof S3Exception s3 && s3.awsErrorDetails() != null
        ? s3.statusCode() + " " + s3.awsErrorDetails().errorCode() + ": "
            + s3.awsErrorDetails().errorMessage()
        : e.getMessage();
    return new RetriableException(what + " s3://" + bucket + "/" + key + ": " + detail, e);
  }
}
