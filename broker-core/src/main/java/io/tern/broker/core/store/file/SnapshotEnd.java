package io.tern.broker.core.store.file;

/**
 * The last record of a complete snapshot file: a snapshot without it was cut short and is not
 * trusted.
 *
 * @param records how many records the snapshot holds before this one
 */
record SnapshotEnd(long records) implements LogRecord {
  @Override
  public RecordType type() {
    return RecordType.SNAPSHOT_END;
  }
}
