package io.tern.broker.core.delivery;

/**
 * Something the router delivers to: a session, owned by one loop. The router calls {@link
 * #deliver} only on that loop's thread.
 */
public interface Subscriber {

  /** The index of the loop that owns this subscriber; never changes. */
  int loopIndex();

  /** The client id, which No Local compares with a message's origin. */
  String clientId();

  /**
   * Delivers a message. Owner loop only.
   *
   * @param options the {@link SubscriptionOptions} to deliver with: the QoS is already the lower
   *     of the message's and the subscription's; when several subscriptions matched, the highest
   *     QoS, Retain As Published if any had it, and their one identifier
   * @param identifiers every Subscription Identifier when the matching subscriptions had more than
   *     one (the identifier in {@code options} is then to be ignored); null otherwise
   */
  void deliver(Message message, int options, int[] identifiers);

  /**
   * Delivers a message this subscriber gets as the chosen member of a share group. Owner loop
   * only. A member that cannot take it (it went offline, or its session ended, after it was
   * chosen) may pass it to another member of the group. By default, an ordinary delivery.
   *
   * @param options as for {@link #deliver}; its identifier is the one of this member's
   *     subscription
   */
  default void deliverShared(Message message, int options, SharedGroup group) {
    deliver(message, options, null);
  }

  /**
   * Whether its client is connected, as share groups prefer such members. Any thread: a hint that
   * may be stale by the time the message arrives.
   */
  default boolean online() {
    return true;
  }

  /**
   * Whether it keeps QoS 1 and 2 messages while offline (a persistent session), which makes it a
   * member that may receive when no member of a share group is connected. Any thread; a hint.
   */
  default boolean keepsMessages() {
    return false;
  }
}
