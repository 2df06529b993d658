package io.tern.broker.spi.store;

import java.util.Collection;
import java.util.concurrent.CompletionStage;

/**
 * Keeps persistent sessions (MQTT 3.1.1 clean session 0, MQTT 5 with a Session Expiry Interval
 * above 0) and their subscriptions. Sessions that end with their connection never reach the store.
 *
 * <p>See the package documentation for the threading contract: methods must not block.
 */
public interface SessionStore {

  /** Every stored session; called once when the broker starts, before clients are accepted. */
  CompletionStage<Collection<StoredSession>> loadAll();

  /** Records that a persistent session exists; subscriptions it already has are left as they are. */
  CompletionStage<Void> createSession(String clientId);

  /**
   * Records that a persistent session exists with this Session Expiry Interval, and when its client
   * disconnected; subscriptions it already has are left as they are. The broker calls it when a
   * client connects ({@code disconnectedAt} 0) and when it disconnects, so that after a restart
   * {@link #loadAll} can tell how long the session has left.
   *
   * <p>The default calls {@link #createSession}, for stores written before sessions had an expiry:
   * they keep every session until it is removed, and the broker restores them as never expiring.
   *
   * @param expiryInterval seconds, 1 to {@link StoredSession#NEVER_EXPIRES}
   * @param disconnectedAt epoch milliseconds, or 0 while its client is connected
   */
  default CompletionStage<Void> putSession(String clientId, long expiryInterval, long disconnectedAt) {
    return createSession(clientId);
  }

  /** Forgets a session and all its subscriptions. */
  CompletionStage<Void> removeSession(String clientId);

  /** Adds a subscription to a stored session, or replaces the one with the same filter. */
  CompletionStage<Void> putSubscription(String clientId, StoredSubscription subscription);

  /** Removes a subscription from a stored session, if present. */
  CompletionStage<Void> removeSubscription(String clientId, String topicFilter);
}
