package io.tern.broker.spi.store;

import java.util.Collection;
import java.util.concurrent.CompletionStage;

/**
 * Keeps persistent sessions (MQTT 3.1.1 clean session 0) and their subscriptions. Sessions of
 * clients that connect with clean session 1 never reach the store.
 *
 * <p>See the package documentation for the threading contract: methods must not block.
 */
public interface SessionStore {

  /** Every stored session; called once when the broker starts, before clients are accepted. */
  CompletionStage<Collection<StoredSession>> loadAll();

  /** Records that a persistent session exists; subscriptions it already has are left as they are. */
  CompletionStage<Void> createSession(String clientId);

  /** Forgets a session and all its subscriptions. */
  CompletionStage<Void> removeSession(String clientId);

  /** Adds a subscription to a stored session, or replaces the one with the same filter. */
  CompletionStage<Void> putSubscription(String clientId, StoredSubscription subscription);

  /** Removes a subscription from a stored session, if present. */
  CompletionStage<Void> removeSubscription(String clientId, String topicFilter);
}
