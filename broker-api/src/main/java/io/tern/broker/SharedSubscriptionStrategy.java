package io.tern.broker;

/**
 * How the broker chooses the one member of a share group that gets a message published to the
 * group's topic filter. A shared subscription is a SUBSCRIBE to {@code
 * $share/{ShareName}/{filter}} (MQTT 5.0 section 4.8.2, also accepted from MQTT 3.1.1 clients);
 * the sessions subscribed with the same ShareName and filter form the group.
 *
 * <p>Whatever the strategy, a member whose client is connected is preferred; a member that is
 * offline with a persistent session gets a message (queued, QoS 1 and 2 only) only when no member
 * is connected. Members on every event loop are chosen alike, without locks.
 *
 * @see BrokerBuilder#sharedSubscriptionStrategy(SharedSubscriptionStrategy)
 */
public enum SharedSubscriptionStrategy {
  /**
   * Each message goes to the next member in turn, so that connected members get an even share.
   * The default.
   */
  ROUND_ROBIN,

  /** Each message goes to a member chosen at random. */
  RANDOM,

  /**
   * All messages of one publisher (its client id; the topic for messages the host application
   * publishes) go to the same member while that member is connected, so that they arrive in the
   * order they were published. Publishers are spread over the members by rendezvous hashing, so a
   * member joining or leaving moves only the publishers it gains or had.
   */
  STICKY_BY_PUBLISHER
}
