package io.tern.broker.spi.store;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Keeps persistent sessions (MQTT 3.1.1 clean session 0, MQTT 5 with a Session Expiry Interval
 * above 0), their subscriptions and the QoS 1 and 2 messages on their way to them. Sessions that end with their connection never reach the store.
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

  /** Forgets a session with all its subscriptions and messages. */
  CompletionStage<Void> removeSession(String clientId);

  /** Adds a subscription to a stored session, or replaces the one with the same filter. */
  CompletionStage<Void> putSubscription(String clientId, StoredSubscription subscription);

  /** Removes a subscription from a stored session, if present. */
  CompletionStage<Void> removeSubscription(String clientId, String topicFilter);

  /**
   * Keeps a QoS 1 or 2 message for a stored session, queued ({@link StoredMessage#packetId()} 0)
   * or already sent, until {@link #removeMessage} or {@link #removeSession}; {@link #loadAll}
   * returns it with its session. A message with the id of one already kept replaces it.
   *
   * <p>The default keeps nothing, for stores written before messages were stored: the broker then
   * holds them in memory only, and a restart loses them.
   */
  default CompletionStage<Void> putMessage(String clientId, StoredMessage message) {
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Records that a kept message was sent with this packet id, so that after a restart it goes out
   * again with it and the DUP flag; does nothing when the message is not kept. The default does
   * nothing.
   */
  default CompletionStage<Void> messageSent(String clientId, long messageId, int packetId) {
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Forgets a kept message: acknowledged, expired, dropped or handed to another session; does
   * nothing when it is not kept. The default does nothing.
   */
  default CompletionStage<Void> removeMessage(String clientId, long messageId) {
    return CompletableFuture.completedFuture(null);
  }
}
