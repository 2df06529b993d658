package io.tern.broker.spi.store;

import java.util.Collection;
import java.util.concurrent.CompletionStage;

/**
 * Keeps the retained message of each topic.
 *
 * <p>See the package documentation for the threading contract: methods must not block. Calls for
 * one topic may come from different threads; the broker never issues two calls for one topic
 * whose order matters without waiting for the first to complete.
 */
public interface RetainedStore {

  /** Every retained message; called once when the broker starts, before clients are accepted. */
  CompletionStage<Collection<RetainedMessage>> loadAll();

  /** Stores the message as its topic's retained message, replacing any earlier one. */
  CompletionStage<Void> put(RetainedMessage message);

  /** Removes the retained message of a topic, if any. */
  CompletionStage<Void> remove(String topic);
}
