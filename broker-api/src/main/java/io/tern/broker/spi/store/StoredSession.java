package io.tern.broker.spi.store;

import java.util.List;
import java.util.Objects;

/**
 * A persistent session as stored.
 *
 * @param clientId the client identifier
 * @param subscriptions the session's subscriptions, one per topic filter
 * @param expiryInterval the Session Expiry Interval in seconds, {@link #NEVER_EXPIRES} for a
 *     session that never expires (an MQTT 3.1.1 clean session 0)
 * @param disconnectedAt when its client disconnected, in epoch milliseconds, or 0 when the store
 *     does not know (the client was connected when the broker stopped, or the store keeps no
 *     time); the broker counts the expiry interval from here, or from its start when 0
 * @param messages its QoS 1 and 2 messages queued or in flight, in the order of their
 *     {@link StoredMessage#messageId()}; empty for a store that keeps none
 */
public record StoredSession(String clientId, List<StoredSubscription> subscriptions, long expiryInterval,
    long disconnectedAt, List<StoredMessage> messages) {
  /** The Session Expiry Interval of a session that never expires. */
  public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

  public StoredSession {
    Objects.requireNonNull(clientId, "clientId");
    subscriptions = List.copyOf(subscriptions);
    messages = List.copyOf(messages);
    if (expiryInterval <= 0 || expiryInterval > NEVER_EXPIRES) {
      throw new IllegalArgumentException("a stored session's expiry interval must be 1 to 0xFFFFFFFF seconds: "
          + expiryInterval);
    }
    if (disconnectedAt < 0) {
      throw new IllegalArgumentException("disconnectedAt must not be negative: " + disconnectedAt);
    }
  }

  /** A session without stored messages, as stores that keep none report them. */
  public StoredSession(String clientId, List<StoredSubscription> subscriptions, long expiryInterval,
      long disconnectedAt) {
    this(clientId, subscriptions, expiryInterval, disconnectedAt, List.of());
  }

  /** A session that never expires, as stores that keep no expiry report them. */
  public StoredSession(String clientId, List<StoredSubscription> subscriptions) {
    this(clientId, subscriptions, NEVER_EXPIRES, 0, List.of());
  }
}
