package io.tern.broker;

/**
 * An in-process subscription made with {@link Broker#subscribe}. Closing it stops deliveries;
 * messages already handed to the executor may still arrive.
 */
public interface Subscription extends AutoCloseable {

  /** The topic filter subscribed to. */
  String topicFilter();

  /**
   * Messages that were not delivered because the handler fell behind by more than the
   * subscription's buffer.
   */
  long droppedMessages();

  /** Ends the subscription. Idempotent; never throws. */
  @Override
  void close();
}
