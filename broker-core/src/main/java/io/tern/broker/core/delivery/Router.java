package io.tern.broker.core.delivery;

import io.tern.broker.core.routing.RetainedIndex;
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
  private final Dispatcher[] dispatchers;

  public Router(EventLoop[] loops, int overflowLimit) {
    dispatchers = new Dispatcher[loops.length];
    for (int i = 0; i < loops.length; i++) {
      dispatchers[i] = new Dispatcher(loops[i], loops, subscriptions, overflowLimit);
    }
  }

  public TopicTrie<Subscriber> subscriptions() {
    return subscriptions;
  }

  public RetainedIndex<Message> retained() {
    return retained;
  }

  /** The dispatcher of a loop; to be used on that loop's thread only. */
  public Dispatcher dispatcher(int loopIndex) {
    return dispatchers[loopIndex];
  }
}
