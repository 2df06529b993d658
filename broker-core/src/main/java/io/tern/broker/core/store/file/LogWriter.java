package io.tern.broker.core.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the log's files. Producers hand it appends and commands through a
 * bounded lock-free queue and never wait: a full queue fails the append at once with
 * {@link LogBusyException}.
 *
 * <p>Group commit: each turn drains what is queued (up to {@link #MAX_BATCH}), encodes it into one
 * buffer, writes it, forces once in {@link Durability#SYNC}, and completes every append of the
 * batch. While a force is under way new appends queue up and share the next one, so the number of
 * forces follows the device's speed, not the number of appends.
 *
 * <p>Futures complete on this thread: what the owner chains on them must not block, and should
 * hand over to the owner's own threads.
 */
final class LogWriter implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);
  static final int MAX_BATCH = 4096;
  private static final int BUFFER_BYTES = 1 << 20;

  /** An append on its way: encoded and written, then completed with its segment's sequence. */
  private static final class Append {
    final LogRecord record;
    final int frameSize;
    final CompletableFuture<Long> future = new CompletableFuture<>();
    long segment;

    Append(LogRecord record, int frameSize) {
      this.record = record;
      this.frameSize = frameSize;
    }
  }

  /** Work on the files that must happen in order with the appends queued around it. */
  interface Command {
    /** Runs on the writer thread; a throw means the log's own files failed. */
    void run(LogWriter writer) throws IOException;

    void fail(Throwable cause);
  }

  private final SegmentedLog log;
  private final RecordCodec codec;
  private final Durability durability;
  private final long batchNanos;
  private final int maxFrame;
  private final MpscArrayQueue<Object> queue;
  private final LogBusyException busy;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
  private final List<Append> pending = new ArrayList<>();
  private final Thread thread;
  private Compaction compaction;
  /** When the oldest write not yet forced happened ({@link System#nanoTime}), or -1. */
  private long unforcedSince = -1;

  private volatile boolean sleeping;
  private volatile boolean closing;
  private volatile boolean terminated;
  private volatile LogWriteException failure;
  private volatile long diskBytes;
  private volatile long activeSegment;

  LogWriter(SegmentedLog log, RecordCodec codec, LogConfig config) {
    this.log = log;
    this.codec = codec;
    this.durability = config.durability();
    this.batchNanos = config.batchInterval().toNanos();
    this.maxFrame = RecordCodec.FRAME_HEADER + config.maxRecordBytes();
    this.queue = new MpscArrayQueue<>(config.queueCapacity());
    this.busy = new LogBusyException(queue.capacity());
    this.thread = new Thread(this, config.threadName());
    this.thread.setDaemon(true);
    publishStats();
  }

  void start() {
    thread.start();
  }

  long diskBytes() {
    return diskBytes;
  }

  long activeSegment() {
    return activeSegment;
  }

  // ---- producer side: any thread, never blocks ----

  CompletableFuture<Long> submit(LogRecord record) {
    Throwable refusal = refusal();
    if (refusal != null) {
      return CompletableFuture.failedFuture(refusal);
    }
    int size;
    try {
      size = RecordCodec.frameSize(record);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (size > maxFrame) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "record of " + size + " bytes is larger than the log's maximum of " + maxFrame));
    }
    Append append = new Append(record, size);
    if (!offer(append)) {
      return CompletableFuture.failedFuture(busy);
    }
    return append.future;
  }

  /** Queues a command; false when the queue is full (the command is left untouched). */
  boolean submit(Command command) {
    Throwable refusal = refusal();
    if (refusal != null) {
      command.fail(refusal);
      return true;
    }
    return offer(command);
  }

  LogBusyException busy() {
    return busy;
  }

  private Throwable refusal() {
    if (closing) {
      return closed();
    }
    return failure;
  }

  private boolean offer(Object request) {
    if (!queue.offer(request)) {
      return false;
    }
    // Only a writer that announced it is about to park needs the wakeup.
    if (sleeping) {
      LockSupport.unpark(thread);
    }
    if (terminated) {
      // The writer may have drained its queue for the last time before this offer landed.
      fail(request, closed());
    }
    return true;
  }

  private static IllegalStateException closed() {
    return new IllegalStateException("the durable log is closed");
  }

  /**
   * Stops taking appends, writes and completes those queued, and waits for the thread to end (an
   * interrupt is kept for the caller but does not cut the wait: the files must be closed before
   * the directory is released).
   */
  void close() {
    closing = true;
    LockSupport.unpark(thread);
    if (Thread.currentThread() == thread) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- writer thread ----

  @Override
  public void run() {
    try {
      while (true) {
        boolean wrote = writeBatch();
        if (compaction != null) {
          stepCompaction();
        }
        forceIfDue();
        if (!wrote && compaction == null) {
          if (closing && queue.isEmpty()) {
            break;
          }
          idle();
        }
      }
      finish();
    } catch (Throwable t) {
      LOG.error("The durable log's writer stopped on an unexpected error", t);
      fail(new IOException("writer stopped: " + t, t));
    } finally {
      terminated = true;
      Object request;
      while ((request = queue.poll()) != null) {
        fail(request, failure != null ? failure : closed());
      }
      try {
        log.close();
      } catch (IOException e) {
        LOG.warn("Closing the active segment failed", e);
      }
    }
  }

  /** Writes one batch of what is queued; false when nothing was. */
  private boolean writeBatch() {
    int taken = 0;
    Object request;
    while (taken < MAX_BATCH && (request = queue.poll()) != null) {
      taken++;
      if (request instanceof Append append) {
        add(append);
      } else {
        flush(); // what was queued before the command is done before it
        runCommand((Command) request);
      }
    }
    if (taken > 0) {
      flush();
    }
    return taken > 0;
  }

  private void add(Append append) {
    if (failure != null) {
      append.future.completeExceptionally(failure);
      return;
    }
    pending.add(append);
    try {
      encode(append);
    } catch (IOException e) {
      fail(e);
    }
  }

  private void encode(Append append) throws IOException {
    int size = append.frameSize;
    if (log.needsRoll(buffer.position(), size)) {
      writeBuffer();
      log.roll();
    }
    if (size > buffer.remaining()) {
      writeBuffer();
    }
    if (size > buffer.capacity()) {
      ByteBuffer large = ByteBuffer.allocate(size);
      codec.write(append.record, size, large);
      log.write(large.flip());
    } else {
      codec.write(append.record, size, buffer);
    }
    append.segment = log.activeSequence();
  }

  private void writeBuffer() throws IOException {
    if (buffer.position() > 0) {
      buffer.flip();
      try {
        log.write(buffer);
      } finally {
        buffer.clear();
      }
    }
  }

  /** Writes what is buffered, forces in SYNC, and completes the appends written. */
  private void flush() {
    if (failure != null || pending.isEmpty()) {
      return;
    }
    try {
      writeBuffer();
      if (durability == Durability.SYNC) {
        log.force();
      } else if (unforcedSince < 0) {
        unforcedSince = System.nanoTime();
      }
    } catch (IOException e) {
      fail(e);
      return;
    }
    publishStats(); // before completing: a caller that saw its append done sees its segment
    for (Append append : pending) {
      append.future.complete(append.segment);
    }
    pending.clear();
  }

  private void runCommand(Command command) {
    if (failure != null) {
      command.fail(failure);
      return;
    }
    try {
      command.run(this);
    } catch (IOException e) {
      command.fail(e);
      fail(e);
    } catch (RuntimeException e) {
      command.fail(e);
    }
  }

  private void forceIfDue() {
    if (unforcedSince >= 0 && failure == null && System.nanoTime() - unforcedSince >= batchNanos) {
      try {
        log.force();
        unforcedSince = -1;
      } catch (IOException e) {
        fail(e);
      }
    }
  }

  private void idle() {
    long wait = -1;
    if (unforcedSince >= 0 && failure == null) {
      wait = batchNanos - (System.nanoTime() - unforcedSince);
      if (wait <= 0) {
        return;
      }
    }
    sleeping = true;
    if (queue.isEmpty() && !closing) {
      if (wait < 0) {
        LockSupport.park(this);
      } else {
        LockSupport.parkNanos(this, wait);
      }
    }
    sleeping = false;
  }

  private void finish() {
    if (compaction != null) {
      compaction.abort(new IllegalStateException("the durable log was closed before the compaction finished"));
      compaction = null;
    }
    if (unforcedSince >= 0 && failure == null) {
      try {
        log.force();
      } catch (IOException e) {
        fail(e);
      }
    }
  }

  // ---- commands, on the writer thread ----

  /** Rolls and starts writing a snapshot; see {@link Compaction}. */
  void startCompaction(SnapshotSource source, CompletableFuture<CompactionResult> result) throws IOException {
    if (compaction != null) {
      result.completeExceptionally(new IllegalStateException("a compaction is already running"));
      return;
    }
    long replaces = log.roll();
    publishStats();
    try {
      compaction = Compaction.start(log, replaces, codec, maxFrame, source, result);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Compaction of {} could not start; the log goes on without it", log.directory().path(), e);
      result.completeExceptionally(e);
    }
  }

  int dropBefore(long sequence) throws IOException {
    int dropped = log.dropBefore(Math.min(sequence, log.activeSequence()));
    publishStats();
    return dropped;
  }

  private void stepCompaction() {
    try {
      CompactionResult done = compaction.step();
      if (done != null) {
        CompletableFuture<CompactionResult> result = compaction.result();
        compaction = null;
        publishStats();
        result.complete(done);
      }
    } catch (IOException | RuntimeException e) {
      // Only the snapshot failed: the segments it was to replace are untouched.
      LOG.warn("Compaction of {} failed; the log goes on without it", log.directory().path(), e);
      compaction.abort(e);
      compaction = null;
    }
  }

  private void fail(IOException cause) {
    if (failure == null) {
      failure = new LogWriteException("The durable log in " + log.directory().path() + " failed: "
          + LogDirectory.describe(cause) + "; it takes no more appends until it is reopened"
          + (durability == Durability.BATCH ? " (appends of the last batch interval may be lost)" : ""), cause);
      LOG.error(failure.getMessage(), cause);
    }
    buffer.clear();
    for (Append append : pending) {
      append.future.completeExceptionally(failure);
    }
    pending.clear();
    if (compaction != null) {
      compaction.abort(failure);
      compaction = null;
    }
  }

  private static void fail(Object request, Throwable cause) {
    if (request instanceof Append append) {
      append.future.completeExceptionally(cause);
    } else {
      ((Command) request).fail(cause);
    }
  }

  private void publishStats() {
    diskBytes = log.diskBytes();
    activeSegment = log.activeSequence();
  }
}
