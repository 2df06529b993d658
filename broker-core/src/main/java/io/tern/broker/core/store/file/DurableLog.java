package io.tern.broker.core.store.file;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded durable store's engine: a segmented append-only log of {@link LogRecord}s in one
 * directory, written by one thread.
 *
 * <p><b>Use.</b> {@link #open} recovers the directory and replays every record to the owner, who
 * rebuilds its live state from them; then the owner {@link #append}s one record per durable change
 * and acts (acknowledges a PUBLISH, say) when the returned future completes. The log knows nothing
 * of what records mean; the owner decides when old records are dead and reclaims their space, in
 * either of two ways, both crash-safe at every step:
 * <ul>
 *   <li>{@link #dropSegmentsBefore}: when every record of the oldest segments is acknowledged,
 *       superseded or expired (the owner tracks that through the segment number each append
 *       reports), those files are deleted;
 *   <li>{@link #compact}: when old segments hold a few live records among many dead ones (a
 *       subscription made long ago, say), the owner hands over its live state, which is written as
 *       a snapshot replacing every segment up to the current one. See {@link SnapshotSource} for
 *       the consistency contract. {@link #diskBytes()} tells when it is worth it.
 * </ul>
 *
 * <p><b>Threads.</b> {@link #append}, {@link #compact} and {@link #dropSegmentsBefore} may be
 * called from any thread, never block, and never wait for space: when the write queue is full the
 * future fails at once with {@link LogBusyException}. Futures complete on the writer thread, in the
 * order the appends were queued; what is chained on them must not block. Appends queued from one
 * thread are written in that order. {@link #open} and {@link #close} block.
 *
 * <p><b>Failures.</b> A write or force that fails completes the affected futures with
 * {@link LogWriteException}, is logged once at ERROR, and makes every later append fail the same
 * way until the log is reopened.
 */
public final class DurableLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DurableLog.class);

  private final LogDirectory directory;
  private final LogWriter writer;
  private final RecoveryReport recovery;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DurableLog(LogDirectory directory, LogWriter writer, RecoveryReport recovery) {
    this.directory = directory;
    this.writer = writer;
    this.recovery = recovery;
  }

  /**
   * Opens the log in the configured directory, creating it if needed: locks it, recovers it
   * (repairing a torn tail, finishing or discarding an interrupted compaction), replays every
   * record to {@code replay} on this thread, and starts the writer on a new segment.
   *
   * @throws IOException naming the directory and the cause when it cannot be created, written,
   *     locked (another log uses it) or read, or when it was written by a newer format
   */
  public static DurableLog open(LogConfig config, ReplayHandler replay) throws IOException {
    LogDirectory directory = LogDirectory.open(config.directory(), config.io());
    try {
      RecordCodec codec = new RecordCodec(config.maxRecordBytes());
      Recovery.Outcome outcome = Recovery.run(directory, codec, replay);
      SegmentedLog log = SegmentedLog.open(directory, outcome.files(), outcome.nextSequence(),
          config.segmentBytes());
      LogWriter writer = new LogWriter(log, codec, config);
      writer.start();
      return new DurableLog(directory, writer, outcome.report());
    } catch (IOException e) {
      closeQuietly(directory, e);
      throw new IOException("Cannot open the durable log in " + directory.path() + ": "
          + LogDirectory.describe(e), e);
    } catch (RuntimeException | Error e) {
      closeQuietly(directory, e);
      throw e;
    }
  }

  private static void closeQuietly(LogDirectory directory, Throwable failure) {
    try {
      directory.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Queues a record. Never blocks.
   *
   * @return a future completing with the sequence number of the segment that holds the record once
   *     it is durable as the configured {@link Durability} says; failing at once with
   *     {@link LogBusyException} when the queue is full, {@link IllegalArgumentException} when the
   *     record cannot be encoded (a string over 65,535 bytes, a record over the maximum size), or
   *     {@link IllegalStateException} when the log is closed; failing later with
   *     {@link LogWriteException} when it cannot be written
   */
  public CompletableFuture<Long> append(LogRecord record) {
    return writer.submit(record);
  }

  /**
   * Replaces every file up to the current segment with a snapshot of the owner's live state.
   * Appends go on meanwhile; the snapshot is written a chunk at a time between their batches. Only
   * one compaction runs at a time. Never blocks.
   *
   * @param source the live state, read on the writer thread; see {@link SnapshotSource}
   * @return a future completing once the snapshot is installed and the files it replaced are
   *     deleted; failing with {@link LogBusyException} when the queue is full,
   *     {@link IllegalStateException} when a compaction is already running, or the cause when
   *     writing the snapshot failed (the log is then unchanged and goes on)
   */
  public CompletableFuture<CompactionResult> compact(SnapshotSource source) {
    CompletableFuture<CompactionResult> result = new CompletableFuture<>();
    LogWriter.Command command = new LogWriter.Command() {
      @Override
      public void run(LogWriter writer) throws IOException {
        writer.startCompaction(source, result);
      }

      @Override
      public void fail(Throwable cause) {
        result.completeExceptionally(cause);
      }
    };
    return writer.submit(command) ? result : CompletableFuture.failedFuture(writer.busy());
  }

  /**
   * Deletes the closed segments and snapshots whose sequence number is below {@code sequence},
   * oldest first; the active segment is never deleted. The owner calls it once nothing in them is
   * needed any more. Never blocks.
   *
   * @return a future completing with how many files were deleted
   */
  public CompletableFuture<Integer> dropSegmentsBefore(long sequence) {
    CompletableFuture<Integer> result = new CompletableFuture<>();
    LogWriter.Command command = new LogWriter.Command() {
      @Override
      public void run(LogWriter writer) throws IOException {
        result.complete(writer.dropBefore(sequence));
      }

      @Override
      public void fail(Throwable cause) {
        result.completeExceptionally(cause);
      }
    };
    return writer.submit(command) ? result : CompletableFuture.failedFuture(writer.busy());
  }

  /** What opening the log found. */
  public RecoveryReport recovery() {
    return recovery;
  }

  /** The sequence number of the segment appends go to now. */
  public long activeSegment() {
    return writer.activeSegment();
  }

  /** Bytes in the log's files, as of the last batch written. */
  public long diskBytes() {
    return writer.diskBytes();
  }

  public Path directory() {
    return directory.path();
  }

  /**
   * Stops taking appends, writes and forces every append already queued, completes their futures,
   * and releases the directory. Blocks until then; idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    writer.close();
    try {
      directory.close();
    } catch (IOException e) {
      LOG.warn("Releasing the lock of {} failed", directory.path(), e);
    }
  }
}
