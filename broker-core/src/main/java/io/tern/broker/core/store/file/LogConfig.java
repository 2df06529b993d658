package io.tern.broker.core.store.file;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link DurableLog} is set up. Start from {@link #of(Path)} and change what differs.
 *
 * @param directory where the log keeps its files; created if missing
 * @param durability when an append completes
 * @param batchInterval how often {@link Durability#BATCH} forces; the loss window on power loss
 * @param segmentBytes the size past which the log starts a new segment
 * @param queueCapacity how many appends may wait for the writer; more fail with
 *     {@link LogBusyException} (rounded up to a power of two)
 * @param maxRecordBytes the largest record body accepted; recovery treats a longer length field as
 *     damage, so lowering it below what was once written makes those records unreadable
 * @param io the file system operations, replaced in tests
 * @param threadName the writer thread's name
 */
public record LogConfig(Path directory, Durability durability, Duration batchInterval, long segmentBytes,
    int queueCapacity, int maxRecordBytes, FileIo io, String threadName) {

  /** Room for the largest MQTT packet (256 MB) plus the record's own fields. */
  public static final int DEFAULT_MAX_RECORD_BYTES = (1 << 28) + (1 << 18);

  public LogConfig {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(batchInterval, "batchInterval");
    Objects.requireNonNull(io, "io");
    Objects.requireNonNull(threadName, "threadName");
    if (batchInterval.isNegative() || batchInterval.isZero()) {
      throw new IllegalArgumentException("batchInterval must be positive: " + batchInterval);
    }
    if (segmentBytes < 4096) {
      throw new IllegalArgumentException("segmentBytes must be at least 4096: " + segmentBytes);
    }
    if (queueCapacity < 2) {
      throw new IllegalArgumentException("queueCapacity must be at least 2: " + queueCapacity);
    }
    if (maxRecordBytes < 1024) {
      throw new IllegalArgumentException("maxRecordBytes must be at least 1024: " + maxRecordBytes);
    }
  }

  /** SYNC, 64 MiB segments, 16,384 queued appends, a batch interval of 10 ms for BATCH. */
  public static LogConfig of(Path directory) {
    return new LogConfig(directory, Durability.SYNC, Duration.ofMillis(10), 64L << 20, 16_384,
        DEFAULT_MAX_RECORD_BYTES, FileIo.DEFAULT, "tern-store-writer");
  }

  public LogConfig withDurability(Durability value) {
    return new LogConfig(directory, value, batchInterval, segmentBytes, queueCapacity, maxRecordBytes, io,
        threadName);
  }

  public LogConfig withBatchInterval(Duration value) {
    return new LogConfig(directory, durability, value, segmentBytes, queueCapacity, maxRecordBytes, io,
        threadName);
  }

  public LogConfig withSegmentBytes(long value) {
    return new LogConfig(directory, durability, batchInterval, value, queueCapacity, maxRecordBytes, io,
        threadName);
  }

  public LogConfig withQueueCapacity(int value) {
    return new LogConfig(directory, durability, batchInterval, segmentBytes, value, maxRecordBytes, io,
        threadName);
  }

  public LogConfig withMaxRecordBytes(int value) {
    return new LogConfig(directory, durability, batchInterval, segmentBytes, queueCapacity, value, io,
        threadName);
  }

  public LogConfig withIo(FileIo value) {
    return new LogConfig(directory, durability, batchInterval, segmentBytes, queueCapacity, maxRecordBytes,
        value, threadName);
  }

  public LogConfig withThreadName(String value) {
    return new LogConfig(directory, durability, batchInterval, segmentBytes, queueCapacity, maxRecordBytes, io,
        value);
  }
}
