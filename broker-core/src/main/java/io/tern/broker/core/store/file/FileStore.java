package io.tern.broker.core.store.file;

import io.tern.broker.spi.store.RetainedMessage;
import io.tern.broker.spi.store.RetainedStore;
import io.tern.broker.spi.store.SessionStore;
import io.tern.broker.spi.store.StoredMessage;
import io.tern.broker.spi.store.StoredSession;
import io.tern.broker.spi.store.StoredSubscription;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded durable store: persistent sessions, their subscriptions and messages, and retained messages in
 * one {@link DurableLog}, behind the storage SPI ({@link #sessions()}, {@link #retained()}).
 *
 * <p><b>Durability.</b> Every change is applied to the live state and appended to the log at once;
 * its stage completes once the record is durable as the log's {@link Durability} says (SYNC: forced
 * to the device). The stages complete on the log's writer thread: whoever chains work on them must
 * not block it, and must hand loop work back to its loop (the broker only logs failures).
 *
 * <p><b>Space.</b> After a change is durable, when the log's files have grown past the compaction threshold
 * and past twice what the live state needs, the live state is written as a snapshot that replaces
 * the old segments (see {@link DurableLog#compact}); one compaction runs at a time.
 *
 * <p><b>Life cycle.</b> {@link #open} (blocking) locks and recovers the directory; {@link #close}
 * writes what is queued and releases it. Before {@code open} and after {@code close} every SPI call
 * fails.
 */
public final class FileStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);

  /** Files below this size are never compacted: the default threshold. */
  public static final long DEFAULT_COMPACTION_BYTES = 64L << 20;

  private final LogConfig config;
  private final long compactionBytes;
  private final StoreState state = new StoreState();
  private final AtomicBoolean compacting = new AtomicBoolean();
  private final SessionStore sessionView = new Sessions();
  private final RetainedStore retainedView = new Retained();
  private volatile DurableLog log;

  /**
   * @param compactionBytes the size of the log's files below which it is never compacted
   */
  public FileStore(LogConfig config, long compactionBytes) {
    if (compactionBytes < 1) {
      throw new IllegalArgumentException("compactionBytes must be positive: " + compactionBytes);
    }
    this.config = config;
    this.compactionBytes = compactionBytes;
  }

  public FileStore(LogConfig config) {
    this(config, DEFAULT_COMPACTION_BYTES);
  }

  /**
   * Opens the log and rebuilds the live state from it; does nothing when already open. Blocks.
   *
   * @throws IOException naming the directory and the cause when it cannot be created, written,
   *     locked or read
   */
  public synchronized void open() throws IOException {
    if (log != null) {
      return;
    }
    long start = System.nanoTime();
    DurableLog opened = DurableLog.open(config, (record, segment) -> state.apply(record));
    RecoveryReport report = opened.recovery();
    LOG.info("Opened the data directory {} ({} durability): {} sessions with {} subscriptions and {} messages, "
            + "{} retained messages from {} records in {} ms{}{}",
        opened.directory(), config.durability(), state.sessionCount(), state.subscriptionCount(),
        state.messageCount(), state.retainedCount(), report.records(), (System.nanoTime() - start) / 1_000_000,
        report.truncatedBytes() > 0 ? "; cut " + report.truncatedBytes() + " bytes of a damaged tail" : "",
        state.ignoredRecords() > 0 ? "; ignored " + state.ignoredRecords() + " inbound QoS 2 records" : "");
    log = opened;
    maybeCompact();
  }

  /** The persistent sessions and their subscriptions. */
  public SessionStore sessions() {
    return sessionView;
  }

  /** The retained messages. */
  public RetainedStore retained() {
    return retainedView;
  }

  public Path directory() {
    return config.directory();
  }

  /** The log, once open; for tests and monitoring. */
  DurableLog log() {
    return log;
  }

  StoreState state() {
    return state;
  }

  /** Applies the change to the live state, then logs it: see {@link StoreState#apply}. */
  private CompletionStage<Void> change(LogRecord record) {
    DurableLog current = log;
    if (current == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("the file store is not open"));
    }
    state.apply(record);
    // Checked as appends complete, when the writer has counted their bytes: a burst of changes
    // followed by silence is compacted too.
    return current.append(record).thenApply(segment -> {
      maybeCompact();
      return null;
    });
  }

  private void maybeCompact() {
    DurableLog current = log;
    if (current == null) {
      return; // closed
    }
    long disk = current.diskBytes();
    if (disk < compactionBytes || disk < 2 * state.liveBytes() || !compacting.compareAndSet(false, true)) {
      return;
    }
    CompletableFuture<CompactionResult> compaction;
    try {
      compaction = current.compact(state::snapshot);
    } catch (RuntimeException e) { // closing
      compacting.set(false);
      return;
    }
    compaction.whenComplete((result, failure) -> {
      compacting.set(false);
      if (failure != null) {
        // The log goes on without it (LogWriter logs the cause); the next change tries again.
        LOG.debug("compaction of {} did not finish", current.directory(), failure);
      } else {
        LOG.info("Compacted {}: {} live records in {} bytes replaced {} files in {} ms", current.directory(),
            result.records(), result.bytes(), result.filesRemoved(), result.millis());
      }
    });
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  /**
   * Writes every queued change and releases the directory. Blocks; idempotent. The store may be
   * opened again: replaying the log over the live state it kept changes nothing.
   */
  @Override
  public synchronized void close() {
    DurableLog current = log;
    if (current != null) {
      log = null;
      current.close();
    }
  }

  @Override
  public String toString() {
    return "file store in " + config.directory();
  }

  private final class Sessions implements SessionStore {
    @Override
    public CompletionStage<Collection<StoredSession>> loadAll() {
      if (log == null) {
        return CompletableFuture.failedFuture(new IllegalStateException("the file store is not open"));
      }
      return done(state.storedSessions());
    }

    @Override
    public CompletionStage<Void> createSession(String clientId) {
      if (state.hasSession(clientId)) {
        return done(null);
      }
      return change(new LogRecord.Session(clientId, StoredSession.NEVER_EXPIRES, 0));
    }

    @Override
    public CompletionStage<Void> putSession(String clientId, long expiryInterval, long disconnectedAt) {
      return change(new LogRecord.Session(clientId, expiryInterval, disconnectedAt));
    }

    @Override
    public CompletionStage<Void> removeSession(String clientId) {
      return state.hasSession(clientId) ? change(new LogRecord.SessionRemoved(clientId)) : done(null);
    }

    @Override
    public CompletionStage<Void> putSubscription(String clientId, StoredSubscription subscription) {
      return change(StoreState.toRecord(clientId, subscription));
    }

    @Override
    public CompletionStage<Void> removeSubscription(String clientId, String topicFilter) {
      return change(new LogRecord.SubscriptionRemoved(clientId, topicFilter));
    }

    @Override
    public CompletionStage<Void> putMessage(String clientId, StoredMessage message) {
      CompletionStage<Void> stored = change(StoreState.toRecord(clientId, message));
      return message.packetId() == 0 ? stored
          : change(new LogRecord.MessageSent(clientId, message.messageId(), message.packetId()));
    }

    @Override
    public CompletionStage<Void> messageSent(String clientId, long messageId, int packetId) {
      return change(new LogRecord.MessageSent(clientId, messageId, packetId));
    }

    @Override
    public CompletionStage<Void> removeMessage(String clientId, long messageId) {
      return change(new LogRecord.Ack(clientId, messageId));
    }
  }

  private final class Retained implements RetainedStore {
    @Override
    public CompletionStage<Collection<RetainedMessage>> loadAll() {
      if (log == null) {
        return CompletableFuture.failedFuture(new IllegalStateException("the file store is not open"));
      }
      return done(state.storedRetained());
    }

    @Override
    public CompletionStage<Void> put(RetainedMessage message) {
      return change(StoreState.toRecord(message));
    }

    @Override
    public CompletionStage<Void> remove(String topic) {
      // Every empty retained publish asks for this; most topics have nothing to clear.
      return state.hasRetained(topic) ? change(new LogRecord.RetainedCleared(topic)) : done(null);
    }
  }
}
