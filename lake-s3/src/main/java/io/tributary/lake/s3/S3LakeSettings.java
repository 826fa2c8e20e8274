package io.tributary.lake.s3;

import io.tributary.lake.LakePaths;
import java.net.URI;

/**
 * Where the lake lives in S3-compatible object storage.
 *
 * @param bucket the bucket, which must exist
 * @param prefix key prefix under which the lake's paths go ({@code ""} for the bucket's root); leading
 *     and trailing '/' are ignored
 * @param endpoint the service endpoint for S3-compatible servers (MinIO, Ceph, R2, S3Proxy…), or null
 *     for AWS S3
 * @param region the signing region, or null: {@code us-east-1} with an endpoint, else the SDK's region
 *     chain ({@code AWS_REGION}, profile, instance metadata)
 * @param pathStyle {@code http://host/bucket/key} instead of {@code http://bucket.host/key}; most
 *     S3-compatible servers need it
 * @param accessKeyId static credentials, or null (with {@code secretAccessKey}) for the SDK's default
 *     credentials chain (environment, profile, web identity, container and instance roles)
 * @param secretAccessKey never logged nor printed
 */
public record S3LakeSettings(
    String bucket,
    String prefix,
    URI endpoint,
    String region,
    boolean pathStyle,
    String accessKeyId,
    String secretAccessKey) {

  public S3LakeSettings {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("bucket is required");
    }
    prefix = prefix == null ? "" : trimSlashes(prefix);
    if (!prefix.isEmpty()) {
      LakePaths.check(prefix);
    }
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new IllegalArgumentException(
          "access key id and secret access key are given together or not at all");
    }
  }

  private static String trimSlashes(String prefix) {
    int from = 0;
    int to = prefix.length();
    while (from < to && prefix.charAt(from) == '/') {
      from++;
    }
    while (to > from && prefix.charAt(to - 1) == '/') {
      to--;
    }
    return prefix.substring(from, to);
  }

  /** {@code s3://bucket/prefix}, the location engines read the lake from. */
  public String uri() {
    return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }

  @Override
  public String toString() {
    return "S3LakeSettings[" + uri() + ", endpoint=" + endpoint + ", region=" + region + ", pathStyle="
        + pathStyle + ", credentials=" + (accessKeyId == null ? "default chain" : "static " + accessKeyId)
        + "]";
  }
}
