package io.tern.broker.core.store.file;

import io.tern.broker.core.delivery.SubscriptionOptions;
import io.tern.broker.message.QoS;
import io.tern.broker.spi.store.RetainedMessage;
import io.tern.broker.spi.store.StoredMessage;
import io.tern.broker.spi.store.StoredSession;
import io.tern.broker.spi.store.StoredSubscription;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The live state of a {@link FileStore}: the latest record of every key the log describes, kept in
 * concurrent maps so that the writer thread can read a snapshot while event loops change it (see
 * {@link SnapshotSource}). Replay and live changes go through the same {@link #apply}, so what a
 * restart rebuilds is what was live.
 *
 * <p>Sessions, subscriptions, the messages of sessions and retained messages are kept; inbound
 * QoS 2 records are not written by this version, and a log holding some is read without them
 * (they are counted, and a compaction drops them).
 */
final class StoreState {
  /** Rough bookkeeping cost of a key beside its strings and bytes, for the compaction policy. */
  private static final int OVERHEAD_BYTES = 32;

  /** One session: its latest SESSION record (null until one is read), subscriptions and messages. */
  static final class SessionEntry {
    volatile LogRecord.Session record;
    final ConcurrentMap<String, LogRecord.Subscription> subscriptions = new ConcurrentHashMap<>();
    /** By message id, which is the order the session received them. */
    final ConcurrentNavigableMap<Long, KeptMessage> messages = new ConcurrentSkipListMap<>();
  }

  /** A message of a session and the packet id it was last sent with (0: only queued). */
  static final class KeptMessage {
    final LogRecord.Message record;
    volatile int packetId;

    KeptMessage(LogRecord.Message record) {
      this.record = record;
    }
  }

  private final ConcurrentMap<String, SessionEntry> sessions = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LogRecord.Retained> retained = new ConcurrentHashMap<>();
  private final AtomicLong liveBytes = new AtomicLong();
  private final AtomicLong ignored = new AtomicLong();

  /**
   * Applies a record, replayed or live. A live change is applied here before its record is
   * appended, so that a snapshot read after the append reflects it, as {@link SnapshotSource}
   * requires. Changes of one session come from one thread in order (the SPI's contract); two
   * threads changing one retained topic at once may leave the live state and the log in different
   * orders, as they may leave the broker's retained index and the store.
   */
  void apply(LogRecord record) {
    if (record instanceof LogRecord.Retained r) {
      liveBytes.addAndGet(size(r) - size(retained.put(r.topic(), r)));
    } else if (record instanceof LogRecord.RetainedCleared r) {
      liveBytes.addAndGet(-size(retained.remove(r.topic())));
    } else if (record instanceof LogRecord.Session s) {
      SessionEntry entry = entry(s.clientId());
      if (entry.record == null) {
        liveBytes.addAndGet(size(s.clientId()));
      }
      entry.record = s;
    } else if (record instanceof LogRecord.SessionRemoved s) {
      SessionEntry entry = sessions.remove(s.clientId());
      if (entry != null) {
        long bytes = entry.record == null ? 0 : size(s.clientId());
        for (String filter : entry.subscriptions.keySet()) {
          bytes += size(s.clientId()) + size(filter);
        }
        for (KeptMessage kept : entry.messages.values()) {
          bytes += size(kept.record);
        }
        liveBytes.addAndGet(-bytes);
      }
    } else if (record instanceof LogRecord.Subscription s) {
      if (entry(s.clientId()).subscriptions.put(s.topicFilter(), s) == null) {
        liveBytes.addAndGet(size(s.clientId()) + size(s.topicFilter()));
      }
    } else if (record instanceof LogRecord.SubscriptionRemoved s) {
      SessionEntry entry = sessions.get(s.clientId());
      if (entry != null && entry.subscriptions.remove(s.topicFilter()) != null) {
        liveBytes.addAndGet(-size(s.clientId()) - size(s.topicFilter()));
      }
    } else if (record instanceof LogRecord.Message m) {
      KeptMessage old = entry(m.clientId()).messages.put(m.messageId(), new KeptMessage(m));
      liveBytes.addAndGet(size(m) - (old == null ? 0 : size(old.record)));
    } else if (record instanceof LogRecord.MessageSent m) {
      SessionEntry entry = sessions.get(m.clientId());
      KeptMessage kept = entry == null ? null : entry.messages.get(m.messageId());
      if (kept != null) {
        kept.packetId = m.packetId();
      }
    } else if (record instanceof LogRecord.Ack a) {
      SessionEntry entry = sessions.get(a.clientId());
      KeptMessage kept = entry == null ? null : entry.messages.remove(a.messageId());
      if (kept != null) {
        liveBytes.addAndGet(-size(kept.record));
      }
    } else {
      ignored.incrementAndGet();
    }
  }

  private SessionEntry entry(String clientId) {
    return sessions.computeIfAbsent(clientId, id -> new SessionEntry());
  }

  boolean hasSession(String clientId) {
    return sessions.containsKey(clientId);
  }

  boolean hasRetained(String topic) {
    return retained.containsKey(topic);
  }

  /**
   * The live records, read lazily for a snapshot: each session's SESSION record, its subscriptions,
   * its messages in order, each followed by a MESSAGE_SENT when it was sent; then the retained
   * messages. Weakly consistent, as {@link SnapshotSource} allows.
   */
  Iterator<LogRecord> snapshot() {
    Stream<LogRecord> sessionRecords = sessions.entrySet().stream().flatMap(e -> {
      LogRecord.Session record = e.getValue().record;
      Stream<LogRecord> head = record == null ? Stream.empty() : Stream.of(record);
      Stream<LogRecord> messages = e.getValue().messages.values().stream().flatMap(kept -> {
        int packetId = kept.packetId;
        return packetId == 0 ? Stream.of(kept.record) : Stream.of(kept.record,
            new LogRecord.MessageSent(kept.record.clientId(), kept.record.messageId(), packetId));
      });
      return Stream.concat(Stream.concat(head, e.getValue().subscriptions.values().stream()), messages);
    });
    return Stream.concat(sessionRecords, retained.values().stream()).iterator();
  }

  /** About how many bytes the live records take in a snapshot. */
  long liveBytes() {
    return liveBytes.get();
  }

  /** How many replayed or applied records this version does not keep. */
  long ignoredRecords() {
    return ignored.get();
  }

  int sessionCount() {
    return sessions.size();
  }

  int subscriptionCount() {
    return sessions.values().stream().mapToInt(e -> e.subscriptions.size()).sum();
  }

  int messageCount() {
    return sessions.values().stream().mapToInt(e -> e.messages.size()).sum();
  }

  int retainedCount() {
    return retained.size();
  }

  /**
   * The sessions as the SPI hands them over. A session whose SESSION record was never read (a
   * subscription put without one) never expires; one stored with an interval of 0, which the broker
   * never writes, is left out.
   */
  List<StoredSession> storedSessions() {
    List<StoredSession> all = new ArrayList<>(sessions.size());
    sessions.forEach((clientId, entry) -> {
      LogRecord.Session record = entry.record;
      long expiry = record == null ? StoredSession.NEVER_EXPIRES : record.expiryInterval();
      if (expiry == 0) {
        return;
      }
      List<StoredSubscription> subscriptions = new ArrayList<>(entry.subscriptions.size());
      for (LogRecord.Subscription s : entry.subscriptions.values()) {
        subscriptions.add(toStored(s));
      }
      List<StoredMessage> messages = new ArrayList<>(entry.messages.size());
      for (KeptMessage kept : entry.messages.values()) {
        messages.add(toStored(kept.record, kept.packetId));
      }
      all.add(new StoredSession(clientId, subscriptions, expiry, record == null ? 0 : record.disconnectedAt(),
          messages));
    });
    return all;
  }

  List<RetainedMessage> storedRetained() {
    List<RetainedMessage> all = new ArrayList<>(retained.size());
    for (LogRecord.Retained r : retained.values()) {
      all.add(new RetainedMessage(r.topic(), r.payload(), QoS.of(r.qos()), r.properties(),
          Math.max(0, r.timestamp())));
    }
    return all;
  }

  static LogRecord.Subscription toRecord(String clientId, StoredSubscription s) {
    return new LogRecord.Subscription(clientId, s.topicFilter(), SubscriptionOptions.of(s.qos().value(),
        s.noLocal(), s.retainAsPublished(), s.subscriptionIdentifier()));
  }

  static StoredSubscription toStored(LogRecord.Subscription s) {
    int options = s.options();
    return new StoredSubscription(s.topicFilter(), QoS.of(SubscriptionOptions.qos(options)),
        SubscriptionOptions.noLocal(options), SubscriptionOptions.retainAsPublished(options),
        SubscriptionOptions.identifier(options));
  }

  static LogRecord.Message toRecord(String clientId, StoredMessage m) {
    return new LogRecord.Message(clientId, m.messageId(), m.topic(), m.qos().value(), m.retain(), m.timestamp(),
        m.properties(), m.payload());
  }

  static StoredMessage toStored(LogRecord.Message m, int packetId) {
    return new StoredMessage(m.messageId(), m.topic(), m.payload(), QoS.of(m.qos()), m.retain(), m.properties(),
        Math.max(0, m.timestamp()), packetId);
  }

  static LogRecord.Retained toRecord(RetainedMessage m) {
    return new LogRecord.Retained(m.topic(), m.qos().value(), m.timestamp(), m.properties(), m.payload());
  }

  private static long size(String s) {
    return OVERHEAD_BYTES + s.length();
  }

  private static long size(LogRecord.Message m) {
    return OVERHEAD_BYTES + m.clientId().length() + m.topic().length() + m.properties().length
        + m.payload().length;
  }

  private static long size(LogRecord.Retained r) {
    return r == null ? 0 : OVERHEAD_BYTES + r.topic().length() + r.properties().length + r.payload().length;
  }

  @Override
  public String toString() {
    return "StoreState[" + sessions.size() + " sessions, " + messageCount() + " messages, " + retained.size()
        + " retained]";
  }
}
