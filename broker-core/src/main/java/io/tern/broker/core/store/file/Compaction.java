package io.tern.broker.core.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One compaction under way: writes the owner's live records to a temporary snapshot file a chunk at
 * a time, so that appends keep flowing between chunks, then installs it in place of the segments
 * it replaces. Writer thread only.
 *
 * <p>Time: each {@link #step} writes at most {@link #CHUNK_BYTES}, and the snapshot is forced every
 * {@link #FORCE_BYTES} so that the final force is short; appends wait for at most one chunk.
 * Space: the snapshot is as large as the live state, and exists beside the files it replaces only
 * until it is installed.
 */
final class Compaction {
  static final int CHUNK_BYTES = 1 << 20;
  static final long FORCE_BYTES = 16L << 20;

  private final SegmentedLog log;
  private final RecordCodec codec;
  private final int maxFrame;
  private final long replaces;
  private final Segment file;
  private final Iterator<? extends LogRecord> source;
  private final CompletableFuture<CompactionResult> result;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK_BYTES);
  private final long started = System.nanoTime();
  private long records;
  private long unforced;

  private Compaction(SegmentedLog log, RecordCodec codec, int maxFrame, long replaces, Segment file,
      Iterator<? extends LogRecord> source, CompletableFuture<CompactionResult> result) {
    this.log = log;
    this.codec = codec;
    this.maxFrame = maxFrame;
    this.replaces = replaces;
    this.file = file;
    this.source = source;
    this.result = result;
  }

  /**
   * Asks the owner for its live records and opens the snapshot file, right after the log rolled
   * past segment {@code replaces}: every append queued before the compaction was asked for is in a
   * segment up to that one.
   */
  static Compaction start(SegmentedLog log, long replaces, RecordCodec codec, int maxFrame,
      SnapshotSource source, CompletableFuture<CompactionResult> result) throws IOException {
    Iterator<? extends LogRecord> records = source.records();
    Segment file = Segment.create(log.directory().io(), log.directory().temporarySnapshot(replaces),
        SegmentHeader.Kind.SNAPSHOT, replaces);
    return new Compaction(log, codec, maxFrame, replaces, file, records, result);
  }

  /**
   * Writes the next chunk, or finishes and installs the snapshot.
   *
   * @return what the compaction did once it is over, null until then; the caller completes
   *     {@link #result()} with it
   */
  CompactionResult step() throws IOException {
    while (source.hasNext() && buffer.position() < CHUNK_BYTES / 2) {
      LogRecord record = source.next();
      if (record instanceof SnapshotEnd) {
        throw new IllegalArgumentException("a snapshot source may not hand over an end mark");
      }
      append(record);
      records++;
    }
    if (source.hasNext()) {
      flush();
      return null;
    }
    append(new SnapshotEnd(records));
    flush();
    file.force();
    file.close();
    int removed = log.installSnapshot(file.path(), replaces, file.size());
    return new CompactionResult(replaces, records, file.size(), removed,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  CompletableFuture<CompactionResult> result() {
    return result;
  }

  private void append(LogRecord record) throws IOException {
    int size = RecordCodec.frameSize(record);
    if (size > maxFrame) {
      throw new IllegalArgumentException("snapshot record too large: " + size + " bytes");
    }
    if (size > buffer.remaining()) {
      flush();
    }
    if (size > buffer.capacity()) {
      ByteBuffer large = ByteBuffer.allocate(size);
      codec.write(record, size, large);
      writeOut(large.flip());
    } else {
      codec.write(record, size, buffer);
    }
  }

  private void flush() throws IOException {
    writeOut(buffer.flip());
    buffer.clear();
  }

  private void writeOut(ByteBuffer bytes) throws IOException {
    unforced += bytes.remaining();
    file.write(bytes);
    if (unforced >= FORCE_BYTES) {
      file.force();
      unforced = 0;
    }
  }

  /** Gives up: deletes the unfinished snapshot and fails the result; the log is unchanged. */
  void abort(Throwable cause) {
    try {
      file.close();
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
    try {
      log.directory().delete(file.path());
    } catch (IOException e) {
      cause.addSuppressed(e); // recovery deletes it
    }
    result.completeExceptionally(cause);
  }
}
