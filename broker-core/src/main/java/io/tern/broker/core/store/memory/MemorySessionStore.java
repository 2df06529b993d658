package io.tern.broker.core.store.memory;

import io.tern.broker.spi.store.SessionStore;
import io.tern.broker.spi.store.StoredSession;
import io.tern.broker.spi.store.StoredSubscription;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps persistent sessions in memory: they survive a broker that is closed and rebuilt with the
 * same store in one JVM, and nothing more. Thread-safe; never blocks.
 */
public final class MemorySessionStore implements SessionStore {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  /** One session: its expiry as last put, and its subscriptions by filter. */
  private static final class Entry {
    final Map<String, StoredSubscription> subscriptions = new ConcurrentHashMap<>();
    volatile long expiryInterval = StoredSession.NEVER_EXPIRES;
    volatile long disconnectedAt;
  }

  private final Map<String, Entry> sessions = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Collection<StoredSession>> loadAll() {
    List<StoredSession> all = new ArrayList<>();
    sessions.forEach((clientId, entry) -> all.add(new StoredSession(clientId,
        new ArrayList<>(entry.subscriptions.values()), entry.expiryInterval, entry.disconnectedAt)));
    return CompletableFuture.completedFuture(all);
  }

  @Override
  public CompletionStage<Void> createSession(String clientId) {
    sessions.computeIfAbsent(clientId, id -> new Entry());
    return DONE;
  }

  @Override
  public CompletionStage<Void> putSession(String clientId, long expiryInterval, long disconnectedAt) {
    Entry entry = sessions.computeIfAbsent(clientId, id -> new Entry());
    entry.expiryInterval = expiryInterval;
    entry.disconnectedAt = disconnectedAt;
    return DONE;
  }

  @Override
  public CompletionStage<Void> removeSession(String clientId) {
    sessions.remove(clientId);
    return DONE;
  }

  @Override
  public CompletionStage<Void> putSubscription(String clientId, StoredSubscription subscription) {
    sessions.computeIfAbsent(clientId, id -> new Entry()).subscriptions
        .put(subscription.topicFilter(), subscription);
    return DONE;
  }

  @Override
  public CompletionStage<Void> removeSubscription(String clientId, String topicFilter) {
    Entry entry = sessions.get(clientId);
    if (entry != null) {
      entry.subscriptions.remove(topicFilter);
    }
    return DONE;
  }
}
