package io.tern.broker.core.routing;

/**
 * Receives one matching (subscriber, options) pair from {@link TopicTrie#match}.
 *
 * <p>Invoked on the thread that called {@code match}, synchronously, once per matching
 * subscription. A subscriber holding several overlapping filters is reported once per filter.
 *
 * @param <S> the subscriber type
 */
@FunctionalInterface
public interface MatchConsumer<S> {

  /**
   * Accepts one matching subscription.
   *
   * @param subscriber the subscriber whose filter matched
   * @param options the value stored with that subscription: its QoS, or more packed into one int
   */
  void accept(S subscriber, int options);
}
