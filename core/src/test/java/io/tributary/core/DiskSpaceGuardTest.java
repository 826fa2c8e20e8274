package io.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpaceGuardTest {
  private static final long MB = 1024 * 1024;
  private final AtomicLong free = new AtomicLong(500 * MB);
  private final DiskSpaceGuard guard = new DiskSpaceGuard(Path.of("/data"), 256 * MB, free::get);

  @Test
  void openWhileFreeSpaceIsAtLeastTheMinimum() {
    free.set(256 * MB);
    assertThat(guard.closedReason()).isNull();
    assertThat(guard.health().ready()).isTrue();
    assertThat(guard.health().detail()).isEqualTo("256 MB free on /data (minimum 256 MB)");
  }

  @Test
  void closesBelowTheMinimumWithAReasonNamingTheSettingAndReopensWhenSpaceReturns() {
    free.set(256 * MB - 1);
    assertThat(guard.isOpen()).isFalse();
    assertThat(guard.closedReason()).contains("255 MB free on /data", "minimum of 256 MB",
        "storage.min_free_mb");
    assertThat(guard.health().ready()).isFalse();
    assertThat(guard.health().detail()).isEqualTo(guard.closedReason());

    free.set(1024 * MB);
    assertThat(guard.isOpen()).isTrue();
  }

  @Test
  void aMinimumOfZeroNeverCloses() {
    DiskSpaceGuard off = new DiskSpaceGuard(Path.of("/data"), 0, () -> 0);
    assertThat(off.isOpen()).isTrue();
  }

  @Test
  void negativeMinimumIsRejected() {
    assertThatThrownBy(() -> new DiskSpaceGuard(Path.of("/data"), -1, () -> 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minFreeBytes");
  }

  @Test
  void readsTheRealFileSystem(@TempDir Path dir) {
    DiskSpaceGuard real = new DiskSpaceGuard(dir, 1);
    assertThat(real.usableBytes()).isPositive().isLessThan(Long.MAX_VALUE);
    assertThat(real.isOpen()).isTrue();
    assertThat(new DiskSpaceGuard(dir, Long.MAX_VALUE - 1).isOpen()).isFalse();
  }

  @Test
  void gatedSinkRefusesWhileClosedWithoutTouchingTheSinkAndPassesThroughWhenOpen() throws Exception {
    List<RawRecord> stored = new ArrayList<>();
    RawSink sink = r -> {
      stored.add(r);
      return CompletableFuture.completedFuture(null);
    };
    GatedRawSink gated = new GatedRawSink(sink, guard);
    RawRecord record = new RawRecord("id-1", "web", "segment", "/v1/track", Instant.EPOCH,
        "127.0.0.1", null, "application/json", new byte[] {'{', '}'});

    free.set(MB);
    CompletableFuture<Void> refused = gated.append(record).toCompletableFuture();
    assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(RetriableException.class).hasMessageContaining("nearly full");
    assertThat(stored).isEmpty();

    free.set(1000 * MB);
    gated.append(record).toCompletableFuture().get();
    assertThat(stored).containsExactly(record);
  }
}
