package io.tributary.warehouse;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tributary.core.Json;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.TtlDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The ids of the events the loader loaded within the dedupe window, on local disk (RocksDB, an LSM
 * tree with a Bloom filter per file): looking up a batch's ids costs the same however many events
 * the window holds, where an anti-join against {@code events} reads every id in the window.
 *
 * <p>Each id is kept as its 128-bit MD5 with its receive time (microseconds since the epoch); the
 * entries expire a while after the window (RocksDB drops them while compacting). With them it keeps
 * the {@link State} that ties it to one database: the loader's offsets it has indexed up to, and
 * what it does not cover. DuckDB stays the truth: the loader writes here only after its commit, and
 * catches up from {@code events} whatever a crash in between lost.
 */
final class EventIdIndex implements AutoCloseable {
  private static final byte[] STATE_KEY = "state".getBytes(UTF_8);
  /** Write buffer of the ids (twice this at most in memory, before it reaches disk). */
  private static final long WRITE_BUFFER_BYTES = 32L << 20;

  static {
    RocksDB.loadLibrary();
  }

  /**
   * What the index covers, stored with it.
   *
   * @param database the id of the DuckDB database it indexes ({@code _tributary_database})
   * @param windowSeconds the dedupe window it was made for (a longer one needs ids it dropped)
   * @param offsets the loader's next offsets, by partition, of the last batch it indexed
   * @param indexedThroughMicros {@code loaded_at} of that batch: events loaded since then are
   *     missing if a crash came between the load and the index (and are read again from DuckDB)
   * @param coveredFromMicros events loaded before this (before the index existed) are not in it
   * @param uncoveredReceivedUntilMicros the latest receive time among those (null: there were
   *     none): until the window starts after it, the loader also checks them in DuckDB
   */
  record State(String database, long windowSeconds, Map<Integer, Long> offsets,
      long indexedThroughMicros, long coveredFromMicros, Long uncoveredReceivedUntilMicros) {
    /** The same index after it took in the batches up to these offsets and load time. */
    State indexedUpTo(Map<Integer, Long> nextOffsets, long loadedAtMicros) {
      return new State(database, windowSeconds, nextOffsets, loadedAtMicros, coveredFromMicros,
          uncoveredReceivedUntilMicros);
    }
  }

  private final Path dir;
  private final int ttlSeconds;
  private final MessageDigest md5;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions idOptions;
  private final ColumnFamilyOptions stateOptions;
  private final BloomFilter bloomFilter = new BloomFilter(10);
  private final WriteOptions writeOptions = new WriteOptions();
  private TtlDB db;
  private ColumnFamilyHandle ids;
  private ColumnFamilyHandle states;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();

  private EventIdIndex(Path dir, Duration window) {
    this.dir = dir;
    // Kept an hour past the window: the loader's check of the receive time is the exact one.
    this.ttlSeconds = (int) Math.min(Integer.MAX_VALUE, window.plusHours(1).toSeconds());
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
    this.dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
        // Both column families reach disk together: the state never runs ahead of the ids.
        .setAtomicFlush(true)
        .setMaxBackgroundJobs(2)
        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL).setMaxLogFileSize(1L << 20).setKeepLogFileNum(2)
        .setStatsDumpPeriodSec(0);
    this.idOptions = new ColumnFamilyOptions()
        .setWriteBufferSize(WRITE_BUFFER_BYTES).setMaxWriteBufferNumber(2)
        // Hashes do not compress.
        .setCompressionType(CompressionType.NO_COMPRESSION)
        .setBottommostCompressionType(CompressionType.NO_COMPRESSION)
        .setLevelCompactionDynamicLevelBytes(true)
        // Files untouched by compaction for a window are compacted anyway, dropping expired ids.
        .setPeriodicCompactionSeconds(ttlSeconds)
        .setTableFormatConfig(new BlockBasedTableConfig()
            .setFilterPolicy(bloomFilter)
            .setWholeKeyFiltering(true));
    this.stateOptions = new ColumnFamilyOptions();
  }

  /** Opens (creating if needed) the index in {@code dir}, for a dedupe window of {@code window}. */
  static EventIdIndex open(Path dir, Duration window) throws RocksDBException {
    EventIdIndex index = new EventIdIndex(dir, window);
    try {
      index.openDb();
      return index;
    } catch (RocksDBException | RuntimeException e) {
      index.close();
      throw e;
    }
  }

  private void openDb() throws RocksDBException {
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new RocksDBException("cannot create " + dir + ": " + e);
    }
    List<ColumnFamilyDescriptor> families = List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, stateOptions),
        new ColumnFamilyDescriptor("ids".getBytes(UTF_8), idOptions));
    handles.clear();
    // The state never expires (a TTL of 0); the ids do.
    db = TtlDB.open(dbOptions, dir.toString(), families, handles, List.of(0, ttlSeconds), false);
    states = handles.get(0);
    ids = handles.get(1);
  }

  /** The stored state, or null for a new (or cleared) index. */
  State state() throws RocksDBException {
    byte[] bytes = db.get(states, STATE_KEY);
    if (bytes == null) {
      return null;
    }
    try {
      return Json.MAPPER.readValue(bytes, State.class);
    } catch (java.io.IOException e) {
      return null; // unreadable: the caller starts over, as for a new index
    }
  }

  /** Forgets every id and the state. */
  void clear(State state) throws RocksDBException {
    closeDb();
    destroy(dir);
    openDb();
    writeState(state);
  }

  /** Deletes the index in {@code dir} (which must not be open), e.g. a damaged one. */
  static void destroy(Path dir) throws RocksDBException {
    try (Options options = new Options()) {
      RocksDB.destroyDB(dir.toString(), options);
    }
  }

  void writeState(State state) throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(states, STATE_KEY, json(state));
      db.write(writeOptions, batch);
    }
  }

  /**
   * Which of {@code eventIds} were indexed with a receive time at or after {@code sinceMicros}.
   *
   * @return per id, in order: whether it was loaded within the window
   */
  boolean[] loadedSince(List<String> eventIds, long sinceMicros) throws RocksDBException {
    if (eventIds.isEmpty()) {
      return new boolean[0];
    }
    List<byte[]> keys = new ArrayList<>(eventIds.size());
    for (String id : eventIds) {
      keys.add(key(id));
    }
    List<byte[]> values = db.multiGetAsList(Collections.nCopies(keys.size(), ids), keys);
    boolean[] loaded = new boolean[eventIds.size()];
    for (int i = 0; i < loaded.length; i++) {
      byte[] v = values.get(i);
      loaded[i] = v != null && v.length >= Long.BYTES && ByteBuffer.wrap(v).getLong() >= sinceMicros;
    }
    return loaded;
  }

  /** Adds loaded events (ids with their receive times) and the state after them, atomically. */
  void add(List<String> eventIds, long[] receivedMicros, State state) throws RocksDBException {
    // In key order: each insert into the memtable's skip list starts where the last one ended,
    // instead of from the top of a list of millions of random hashes.
    byte[][] keys = new byte[eventIds.size()][];
    Integer[] order = new Integer[keys.length];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = key(eventIds.get(i));
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(keys[a], keys[b]));
    try (WriteBatch batch = new WriteBatch()) {
      for (int i : order) {
        batch.put(ids, keys[i], ByteBuffer.allocate(Long.BYTES).putLong(receivedMicros[i]).array());
      }
      batch.put(states, STATE_KEY, json(state));
      db.write(writeOptions, batch);
    }
  }

  private byte[] key(String eventId) {
    return md5.digest(eventId.getBytes(UTF_8));
  }

  private static byte[] json(State state) {
    try {
      return Json.MAPPER.writeValueAsBytes(state);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void closeDb() {
    if (db == null) {
      return;
    }
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      db.flush(flush, handles);
    } catch (RocksDBException e) {
      // The write-ahead log still holds what the flush would have written.
    }
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    handles.clear();
    db.close();
    db = null;
  }

  @Override
  public void close() {
    closeDb();
    writeOptions.close();
    idOptions.close();
    stateOptions.close();
    dbOptions.close();
    bloomFilter.close();
  }
}
