package io.tributary.lake.iceberg;

import io.tributary.core.EnrichedRow;
import io.tributary.core.EventField;
import io.tributary.core.SourcedRecord;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns enriched-topic lines into Iceberg records of one table schema. A column whose type in the
 * table is not the one this version writes (nor a promotion of it) is left empty, with a warning.
 */
final class EventRecords {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecords.class);
  private static final OffsetDateTime EPOCH = Instant.EPOCH.atOffset(ZoneOffset.UTC);

  private static final EventField[] FIELDS = EventField.values();

  private final Schema schema;
  private final GenericRecord template;
  /** Position in the table schema of each EventField (by ordinal), -1 when it is not written. */
  private final int[] positions = new int[EventField.values().length];
  private final boolean[] widenToLong = new boolean[EventField.values().length];
  private final int partitionPos;
  private final int offsetPos;

  EventRecords(Schema schema) {
    this.schema = schema;
    this.template = GenericRecord.create(schema);
    List<Types.NestedField> columns = schema.columns();
    for (EventField f : EventField.values()) {
      positions[f.ordinal()] = position(columns, f.column(), EnrichedTable.type(f));
      Type actual = positions[f.ordinal()] < 0 ? null : columns.get(positions[f.ordinal()]).type();
      widenToLong[f.ordinal()] = actual != null && actual.typeId() == Type.TypeID.LONG;
    }
    partitionPos = position(columns, EnrichedTable.KAFKA_PARTITION, Types.IntegerType.get());
    offsetPos = position(columns, EnrichedTable.KAFKA_OFFSET, Types.LongType.get());
  }

  private static int position(List<Types.NestedField> columns, String name, Type wanted) {
    for (int i = 0; i < columns.size(); i++) {
      Types.NestedField c = columns.get(i);
      if (c.name().equals(name)) {
        boolean fits = c.type().equals(wanted)
            || (wanted.typeId() == Type.TypeID.INTEGER && c.type().typeId() == Type.TypeID.LONG);
        if (!fits) {
          LOG.warn("column {} is {} in the table, not {}: left empty", name, c.type(), wanted);
          return -1;
        }
        return i;
      }
    }
    return -1;
  }

  Schema schema() {
    return schema;
  }

  /**
   * The record of a topic line.
   *
   * @throws io.tributary.core.BadRequestException when the line is not an enriched event
   */
  Record toRecord(SourcedRecord source) {
    // Streamed straight into column values (JSON columns as text): a Jackson tree per line was
    // most of this stage's CPU.
    Object[] values = EnrichedRow.decode(source.value());
    GenericRecord row = template.copy();
    for (EventField f : FIELDS) {
      Object v = values[f.ordinal()];
      int pos = positions[f.ordinal()];
      if (v != null && pos >= 0) {
        row.set(pos, value(f, v));
      }
    }
    if (partitionPos >= 0) {
      row.set(partitionPos, source.partition());
    }
    if (offsetPos >= 0) {
      row.set(offsetPos, source.offset());
    }
    return row;
  }

  private Object value(EventField field, Object v) {
    return switch (field.type()) {
      case TIMESTAMP -> ((LocalDateTime) v).atOffset(ZoneOffset.UTC);
      case INTEGER -> widenToLong[field.ordinal()] ? (Object) ((Integer) v).longValue() : v;
      default -> v;
    };
  }

  /** A view of a record in Iceberg's internal representation (timestamps as microseconds), for partition keys. */
  static StructLike internal(Record record) {
    return new StructLike() {
      @Override
      public int size() {
        return record.size();
      }

      @Override
      public <T> T get(int pos, Class<T> javaClass) {
        Object v = record.get(pos);
        if (v instanceof OffsetDateTime t) {
          return javaClass.cast(ChronoUnit.MICROS.between(EPOCH, t));
        }
        return javaClass.cast(v);
      }

      @Override
      public <T> void set(int pos, T value) {
        throw new UnsupportedOperationException("read-only view");
      }
    };
  }
}
