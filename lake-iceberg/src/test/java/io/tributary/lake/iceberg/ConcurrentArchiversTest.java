package io.tributary.lake.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.RetriableException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archivers of one consumer group commit to one table, each with its own catalog client as separate
 * processes would: disjoint partitions never conflict, and an archiver that lost a partition (a
 * zombie) never commits it, even when the new owner commits between the zombie's check and its commit.
 */
class ConcurrentArchiversTest {
  @TempDir Path dir;
  final List<Catalog> catalogs = new ArrayList<>();

  @AfterEach
  void closeCatalogs() {
    catalogs.forEach(IcebergTables::close);
  }

  /** Each archiver's own catalog client, as separate processes would have. */
  Catalog newCatalogClient() {
    return IcebergTables.open(dir);
  }

  IcebergArchiver archiver(int commitRecords) {
    Catalog catalog = newCatalogClient();
    catalogs.add(catalog);
    return new IcebergArchiver(catalog, EnrichedTable.ID, null, new IcebergSettings(
        IcebergArchiverTest.TOPIC, commitRecords, Duration.ofMinutes(1)), Clock.systemUTC());
  }

  Table table() {
    return catalogs.get(0).loadTable(EnrichedTable.ID);
  }

  @Test
  void archiversOfDisjointPartitionsCommitConcurrentlyWithoutLosingOrRepeatingABatch() throws Exception {
    int batches = 10;
    int perBatch = 20;
    List<IcebergArchiver> archivers = List.of(archiver(perBatch), archiver(perBatch), archiver(perBatch));
    ExecutorService pool = Executors.newFixedThreadPool(archivers.size());
    try {
      List<Future<Integer>> commits = new ArrayList<>();
      for (int p = 0; p < archivers.size(); p++) {
        int partition = p;
        IcebergArchiver a = archivers.get(p);
        commits.add(pool.submit(() -> {
          a.open(List.of(partition));
          int done = 0;
          for (int b = 0; b < batches; b++) {
            a.write(Events.range(partition, (long) b * perBatch, (long) (b + 1) * perBatch));
            done += a.flush(false).isEmpty() ? 0 : 1;
          }
          return done;
        }));
      }
      for (Future<Integer> f : commits) {
        assertThat(f.get(120, TimeUnit.SECONDS)).as("batches committed").isEqualTo(batches);
      }
    } finally {
      pool.shutdownNow();
    }
    List<String> expected = new ArrayList<>();
    for (int p = 0; p < archivers.size(); p++) {
      expected.addAll(Events.ids(p, 0, (long) batches * perBatch));
    }
    assertThat(IcebergTables.eventIds(table())).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(archiver(1).open(List.of(0, 1, 2))).containsExactlyInAnyOrderEntriesOf(
        Map.of(0, 200L, 1, 200L, 2, 200L));
  }

  @Test
  void aZombieIsRejectedWhenTheNewOwnerCommitsBetweenItsCheckAndItsCommit() {
    IcebergArchiver zombie = archiver(1000);
    IcebergArchiver owner = archiver(1000);
    zombie.open(List.of(0));
    zombie.write(Events.range(0, 0, 10));
    owner.open(List.of(0)); // the group moved partition 0 to the owner; the zombie does not know yet
    owner.write(Events.range(0, 0, 6));
    // The zombie's check passes (the table has no offset for 0 yet); then the owner commits.
    zombie.afterCheck = () -> {
      zombie.afterCheck = () -> { };
      assertThat(owner.flush(true)).containsEntry(0, 6L);
    };

    assertThatThrownBy(() -> zombie.flush(true)).isInstanceOf(RetriableException.class)
        .hasMessageContaining("another archiver took it over");
    assertThat(IcebergTables.eventIds(table())).containsExactlyInAnyOrderElementsOf(Events.ids(0, 0, 6));
    assertThat(table().currentSnapshot().summary())
        .containsEntry("tributary.offsets." + IcebergArchiverTest.TOPIC + ".0", "6");

    owner.write(Events.range(0, 6, 10));
    owner.flush(true);
    assertThat(IcebergTables.eventIds(table())).containsExactlyInAnyOrderElementsOf(Events.ids(0, 0, 10));
  }

  @Test
  void aCommitOfAnotherPartitionBetweenTheCheckAndTheCommitIsNoConflict() {
    IcebergArchiver a = archiver(1000);
    IcebergArchiver b = archiver(1000);
    a.open(List.of(0));
    b.open(List.of(1));
    a.write(Events.range(0, 0, 10));
    b.write(Events.range(1, 0, 10));
    a.afterCheck = () -> assertThat(b.flush(true)).containsEntry(1, 10L);

    assertThat(a.flush(true)).containsEntry(0, 10L);
    List<String> expected = new ArrayList<>(Events.ids(0, 0, 10));
    expected.addAll(Events.ids(1, 0, 10));
    assertThat(IcebergTables.eventIds(table())).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void theOwnerStillCommitsAfterAZombieWasRejected() {
    IcebergArchiver owner = archiver(1000);
    owner.open(List.of(0, 1));
    owner.write(Events.range(0, 0, 4));
    owner.write(Events.range(1, 0, 4));
    owner.flush(true);

    IcebergArchiver zombie = archiver(1000);
    assertThat(zombie.open(List.of(1))).containsEntry(1, 4L);
    zombie.write(Events.range(1, 4, 9));
    owner.write(Events.range(1, 4, 7));
    owner.flush(true);
    assertThatThrownBy(() -> zombie.flush(true)).isInstanceOf(RetriableException.class);

    owner.write(Events.range(0, 4, 8));
    owner.write(Events.range(1, 7, 9));
    owner.flush(true);
    List<String> expected = new ArrayList<>(Events.ids(0, 0, 8));
    expected.addAll(Events.ids(1, 0, 9));
    assertThat(IcebergTables.eventIds(table())).containsExactlyInAnyOrderElementsOf(expected);
  }
}
