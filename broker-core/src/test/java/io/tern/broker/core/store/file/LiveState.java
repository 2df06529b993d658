package io.tern.broker.core.store.file;

import io.tern.broker.core.store.file.LogRecord.Ack;
import io.tern.broker.core.store.file.LogRecord.InboundQos2;
import io.tern.broker.core.store.file.LogRecord.InboundQos2Released;
import io.tern.broker.core.store.file.LogRecord.Message;
import io.tern.broker.core.store.file.LogRecord.Retained;
import io.tern.broker.core.store.file.LogRecord.RetainedCleared;
import io.tern.broker.core.store.file.LogRecord.Session;
import io.tern.broker.core.store.file.LogRecord.SessionRemoved;
import io.tern.broker.core.store.file.LogRecord.Subscription;
import io.tern.broker.core.store.file.LogRecord.SubscriptionRemoved;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

/**
 * What a store built on the log would keep live: the state the records describe, one value per
 * key, in concurrent maps so that a snapshot can be read on the writer thread while other threads
 * change it. Its snapshot is what {@link SnapshotSource} asks for.
 */
final class LiveState {
  final ConcurrentMap<String, Session> sessions = new ConcurrentHashMap<>();
  final ConcurrentMap<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  final ConcurrentMap<String, Message> messages = new ConcurrentHashMap<>();
  final ConcurrentMap<String, Retained> retained = new ConcurrentHashMap<>();
  final ConcurrentMap<String, InboundQos2> inboundQos2 = new ConcurrentHashMap<>();

  static LiveState replayOf(Iterable<LogRecord> records) {
    LiveState state = new LiveState();
    records.forEach(state::apply);
    return state;
  }

  void apply(LogRecord record) {
    if (record instanceof Message m) {
      messages.put(m.clientId() + "/" + m.messageId(), m);
    } else if (record instanceof Ack a) {
      messages.remove(a.clientId() + "/" + a.messageId());
    } else if (record instanceof Session s) {
      sessions.put(s.clientId(), s);
    } else if (record instanceof SessionRemoved s) {
      sessions.remove(s.clientId());
      String prefix = s.clientId() + "/";
      subscriptions.keySet().removeIf(key -> key.startsWith(prefix));
      messages.keySet().removeIf(key -> key.startsWith(prefix));
      inboundQos2.keySet().removeIf(key -> key.startsWith(prefix));
    } else if (record instanceof Subscription s) {
      subscriptions.put(s.clientId() + "/" + s.topicFilter(), s);
    } else if (record instanceof SubscriptionRemoved s) {
      subscriptions.remove(s.clientId() + "/" + s.topicFilter());
    } else if (record instanceof Retained r) {
      retained.put(r.topic(), r);
    } else if (record instanceof RetainedCleared r) {
      retained.remove(r.topic());
    } else if (record instanceof InboundQos2 q) {
      inboundQos2.put(q.clientId() + "/" + q.packetId(), q);
    } else if (record instanceof InboundQos2Released q) {
      inboundQos2.remove(q.clientId() + "/" + q.packetId());
    }
  }

  /** The live records, read lazily: sessions first, so that a replay creates them first. */
  Iterator<LogRecord> snapshot() {
    return Stream.of(sessions, subscriptions, messages, retained, inboundQos2)
        .flatMap(map -> map.values().stream())
        .map(LogRecord.class::cast)
        .iterator();
  }

  int size() {
    return sessions.size() + subscriptions.size() + messages.size() + retained.size() + inboundQos2.size();
  }

  /** Sorted copies of the maps, for comparison in assertions. */
  Map<String, Map<String, ? extends LogRecord>> view() {
    Map<String, Map<String, ? extends LogRecord>> view = new TreeMap<>();
    view.put("sessions", new TreeMap<>(sessions));
    view.put("subscriptions", new TreeMap<>(subscriptions));
    view.put("messages", new TreeMap<>(messages));
    view.put("retained", new TreeMap<>(retained));
    view.put("inboundQos2", new TreeMap<>(inboundQos2));
    return view;
  }
}
