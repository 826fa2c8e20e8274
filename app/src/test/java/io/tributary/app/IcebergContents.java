package io.tributary.app;

import io.tributary.lake.iceberg.EnrichedTable;
import io.tributary.lake.iceberg.IcebergTables;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;

/**
 * What the enriched Iceberg table holds, read with Iceberg's own reader through the catalog a config
 * names: the event ids, and the enriched-topic offsets each row came from.
 */
record IcebergContents(long rows, Set<String> eventIds, Map<Integer, TreeSet<Long>> offsets,
    long duplicateOffsets, int liveFiles, int snapshots) {

  static IcebergContents read(TributaryConfig config) {
    Catalog catalog = IcebergWiring.catalog(config);
    try {
      Table table = catalog.loadTable(EnrichedTable.ID);
      List<Record> rows = IcebergTables.rows(table);
      Map<Integer, TreeSet<Long>> offsets = new TreeMap<>();
      long duplicates = 0;
      Set<String> ids = new HashSet<>();
      for (Record r : rows) {
        ids.add((String) r.getField("event_id"));
        if (!offsets.computeIfAbsent((Integer) r.getField("_kafka_partition"), p -> new TreeSet<>())
            .add((Long) r.getField("_kafka_offset"))) {
          duplicates++;
        }
      }
      return new IcebergContents(rows.size(), ids, offsets, duplicates,
          io.tributary.lake.iceberg.LakeFiles.list(table).size(), table.history().size());
    } finally {
      IcebergTables.close(catalog);
    }
  }

  /** Partitions whose archived offsets are not exactly 0..n-1 (a gap: a batch never committed). */
  Map<Integer, String> gaps() {
    Map<Integer, String> gaps = new TreeMap<>();
    offsets.forEach((partition, archived) -> {
      if (archived.last() + 1 != archived.size()) {
        gaps.put(partition, archived.size() + " offsets up to " + archived.last());
      }
    });
    return gaps;
  }

  Set<String> missing(Set<String> acked) {
    Set<String> missing = new HashSet<>(acked);
    missing.removeAll(eventIds);
    return missing;
  }
}
