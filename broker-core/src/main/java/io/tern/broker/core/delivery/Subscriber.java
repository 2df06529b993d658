package io.tern.broker.core.delivery;

/**
 * Something the router delivers to: a session, owned by one loop. The router calls {@link
 * #deliver} only on that loop's thread.
 */
public interface Subscriber {

  /** The index of the loop that owns this subscriber; never changes. */
  int loopIndex();

  /**
   * Delivers a message. Owner loop only.
   *
   * @param qos the QoS to deliver at: the lower of the message's and the subscription's
   */
  void deliver(Message message, int qos);
}
