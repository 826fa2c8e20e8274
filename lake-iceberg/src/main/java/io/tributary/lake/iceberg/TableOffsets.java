package io.tributary.lake.iceberg;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * The topic offsets stored in the table: each archiver commit records, in its snapshot summary, the
 * next offset to read of every topic partition whose rows it adds ({@code
 * tributary.offsets.<topic>.<partition>}). A snapshot names only its writer's partitions, so a
 * partition's offset is the one in its newest snapshot that names it.
 */
final class TableOffsets {
  private static final String PREFIX = "tributary.offsets.";

  private TableOffsets() {}

  static String key(String topic, int partition) {
    return PREFIX + topic + "." + partition;
  }

  /** The stored next offset of each of these partitions that has one, from the table as loaded. */
  static Map<Integer, Long> read(Table table, String topic, Collection<Integer> partitions) {
    Map<Integer, Long> found = new HashMap<>();
    Snapshot current = table.currentSnapshot();
    if (current == null || partitions.isEmpty()) {
      return found;
    }
    Set<Integer> wanted = new HashSet<>(partitions);
    for (Snapshot s : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
      Map<String, String> summary = s.summary();
      for (var it = wanted.iterator(); it.hasNext(); ) {
        int p = it.next();
        String value = summary.get(key(topic, p));
        if (value != null) {
          found.put(p, Long.parseLong(value));
          it.remove();
        }
      }
      if (wanted.isEmpty()) {
        break;
      }
    }
    return found;
  }
}
