package io.tributary.lake.iceberg;

import io.tributary.core.EventField;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Parquet files of one uncommitted batch: one open file per table partition and topic partition,
 * so that each file holds rows of a single topic partition (the commit check relies on it). Files
 * stay listed after {@link #close} until the batch is committed ({@link #forget}) or dropped ({@link
 * #abort}, which deletes them).
 */
final class DataFiles {
  private static final Logger LOG = LoggerFactory.getLogger(DataFiles.class);

  private record Key(PartitionKey partition, int topicPartition) {}

  private record Open(DataWriter<Record> writer, String location) {}

  private final Table table;
  private final Schema schema;
  private final PartitionSpec spec;
  private final PartitionKey key;
  private final OutputFileFactory names;
  private final MetricsConfig metrics;
  private final Map<Key, Open> open = new HashMap<>();
  private final List<DataFile> closed = new ArrayList<>();

  /**
   * Columns whose values are unique (or nearly) per event: Parquet's dictionary would never pay off
   * there, but the writer hashes and compares every value of a file's first page before it gives up
   * (about a tenth of the archiver's CPU, BENCHMARKS.md). Plain from the start; a table property of
   * the same name overrides.
   */
  static final Map<String, String> PLAIN_COLUMNS = Stream.of(EventField.EVENT_ID,
          EventField.EVENT_FINGERPRINT, EventField.RAW_ID, EventField.MKT_CLICKID,
          EventField.PROPERTIES, EventField.TRAITS, EventField.CONTEXT, EventField.UNSTRUCT_EVENT,
          EventField.CONTEXTS)
      .collect(Collectors.toUnmodifiableMap(
          f -> TableProperties.PARQUET_DICT_ENCODING_ENABLED_COLUMN_PREFIX + f.column(),
          f -> "false"));

  DataFiles(Table table, Schema schema) {
    this.table = table;
    this.schema = schema;
    this.spec = table.spec();
    this.key = new PartitionKey(spec, schema);
    this.names = OutputFileFactory.builderFor(table, 0, 0).format(FileFormat.PARQUET).build();
    this.metrics = MetricsConfig.forTable(table);
  }

  void write(int topicPartition, Record row) {
    key.partition(EventRecords.internal(row));
    Open file = open.get(new Key(key, topicPartition));
    if (file == null) {
      PartitionKey copy = key.copy();
      file = create(copy);
      open.put(new Key(copy, topicPartition), file);
    }
    file.writer().write(row);
  }

  private Open create(PartitionKey partition) {
    EncryptedOutputFile out = names.newOutputFile(spec, partition);
    try {
      DataWriter<Record> writer = Parquet.writeData(out)
          .schema(schema)
          .withSpec(spec)
          .withPartition(partition)
          .setAll(PLAIN_COLUMNS)
          .setAll(table.properties())
          .metricsConfig(metrics)
          .createWriterFunc(GenericParquetWriter::create)
          .overwrite()
          .build();
      return new Open(writer, out.encryptingOutputFile().location());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data file for " + table.name(), e);
    }
  }

  /** Closes the open files and returns every file of the batch. */
  List<DataFile> close() {
    try {
      for (Iterator<Open> it = open.values().iterator(); it.hasNext(); ) {
        Open file = it.next();
        file.writer().close();
        closed.add(file.writer().toDataFile());
        it.remove();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish a data file of " + table.name(), e);
    }
    return List.copyOf(closed);
  }

  /** The batch was committed: its files now belong to the table. */
  void forget() {
    closed.clear();
  }

  /** Drops the whole batch, deleting its files. */
  void abort() {
    open.values().forEach(this::discard);
    open.clear();
    closed.forEach(f -> delete(f.location()));
    closed.clear();
  }

  /** Drops the batch's rows of one topic partition. */
  void abort(int topicPartition) {
    open.entrySet().removeIf(e -> {
      if (e.getKey().topicPartition() == topicPartition) {
        discard(e.getValue());
        return true;
      }
      return false;
    });
  }

  private void discard(Open file) {
    try {
      file.writer().close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("closing an abandoned data file {}", file.location(), e);
    }
    delete(file.location());
  }

  private void delete(String location) {
    try {
      table.io().deleteFile(location);
    } catch (RuntimeException e) {
      LOG.warn("cannot delete uncommitted data file {} (it is not part of the table): {}", location,
          e.getMessage());
    }
  }
}
