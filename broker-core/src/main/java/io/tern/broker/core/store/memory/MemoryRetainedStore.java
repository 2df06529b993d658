package io.tern.broker.core.store.memory;

import io.tern.broker.spi.store.RetainedMessage;
import io.tern.broker.spi.store.RetainedStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps retained messages in memory: they survive a broker that is closed and rebuilt with the
 * same store in one JVM, and nothing more. Thread-safe; never blocks.
 */
public final class MemoryRetainedStore implements RetainedStore {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final Map<String, RetainedMessage> messages = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Collection<RetainedMessage>> loadAll() {
    return CompletableFuture.completedFuture(new ArrayList<>(messages.values()));
  }

  @Override
  public CompletionStage<Void> put(RetainedMessage message) {
    messages.put(message.topic(), message);
    return DONE;
  }

  @Override
  public CompletionStage<Void> remove(String topic) {
    messages.remove(topic);
    return DONE;
  }
}
