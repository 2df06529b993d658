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
}
