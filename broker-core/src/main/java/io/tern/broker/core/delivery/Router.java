package io.tern.broker.core.delivery;

import io.tern.broker.SharedSubscriptionStrategy;
import io.tern.broker.core.routing.RetainedIndex;
import io.tern.broker.core.routing.SharedFilter;
import io.tern.broker.core.routing.TopicTrie;
import io.tern.broker.core.transport.EventLoop;

/**
 * The broker-wide routing state: who subscribes to what, and which messages are retained. Both
 * structures are shared by all loops and read without locks; each loop publishes through its own
 * {@link Dispatcher}.
 */
public final class Router {
  private final TopicTrie<Subscriber> subscriptions = new TopicTrie<>();
  private final RetainedIndex<Message> retained = new RetainedIndex<>();
  private final SharedGroups sharedGroups;
  private final Dispatcher[] dispatchers;

  /** A router whose share groups take turns. */
  public Router(EventLoop[] loops, int overflowLimit) {
    this(loops, overflowLimit, SharedSubscriptionStrategy.ROUND_ROBIN);
  }

  public Router(EventLoop[] loops, int overflowLimit, SharedSubscriptionStrategy strategy) {
    sharedGroups = new SharedGroups(subscriptions, strategy);
    dispatchers = new Dispatcher[loops.length];
    for (int i = 0; i < loops.length; i++) {
      dispatchers[i] = new Dispatcher(loops[i], loops, subscriptions, overflowLimit);
    }
  }

  public TopicTrie<Subscriber> subscriptions() {
    return subscriptions;
  }

  public SharedGroups sharedGroups() {
    return sharedGroups;
  }

  public RetainedIndex<Message> retained() {
    return retained;
  }

  /**
   * Subscribes to a filter: as a member of its share group when it is a valid shared one ({@link
   * SharedFilter#parse}), in the trie otherwise. Any thread.
   *
   * @param options the {@link SubscriptionOptions} of the subscription
   * @return true when the subscription is new, false when it replaced one
   */
  public boolean subscribe(String filter, Subscriber subscriber, int options) {
    SharedFilter shared = SharedFilter.parse(filter);
    return shared != null
        ? sharedGroups.join(shared, subscriber, options)
        : subscriptions.subscribe(filter, subscriber, options);
  }

  /** Undoes {@link #subscribe}; returns whether there was such a subscription. Any thread. */
  public boolean unsubscribe(String filter, Subscriber subscriber) {
    SharedFilter shared = SharedFilter.parse(filter);
    return shared != null
        ? sharedGroups.leave(shared, subscriber)
        : subscriptions.unsubscribe(filter, subscriber);
  }

  /** The dispatcher of a loop; to be used on that loop's thread only. */
  public Dispatcher dispatcher(int loopIndex) {
    return dispatchers[loopIndex];
  }
}
