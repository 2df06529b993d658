package io.tern.broker.core.delivery;

import io.tern.broker.SharedSubscriptionStrategy;
import io.tern.broker.core.routing.SharedFilter;
import io.tern.broker.core.routing.TopicTrie;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every share group of the broker, by its full filter. A group enters the topic trie with its
 * first member and leaves it with its last; a shared subscription exists while at least one
 * session holds it, and what was undelivered ends with it (MQTT 5.0 section 4.8.2).
 *
 * <p>Joining and leaving may happen on any loop: changes to one group are serialized by the map,
 * whose per-key update also covers the trie change, so a group never lingers in the trie empty
 * nor is added twice. Subscription changes are rare next to publishing, which reads groups
 * without this map.
 */
public final class SharedGroups {
  private final TopicTrie<Subscriber> trie;
  private final SharedSubscriptionStrategy strategy;
  private final ConcurrentHashMap<String, SharedGroup> groups = new ConcurrentHashMap<>();

  SharedGroups(TopicTrie<Subscriber> trie, SharedSubscriptionStrategy strategy) {
    this.trie = trie;
    this.strategy = strategy;
  }

  /**
   * Makes a subscriber a member of a group, creating the group if needed, or updates the options
   * of its membership. Any thread.
   *
   * @return true when it was not a member of that group
   */
  public boolean join(SharedFilter filter, Subscriber subscriber, int options) {
    boolean[] joined = new boolean[1];
    groups.compute(filter.toString(), (key, group) -> {
      SharedGroup target = group;
      if (target == null) {
        target = new SharedGroup(filter, strategy);
        trie.subscribe(filter.topicFilter(), target, 0);
      }
      joined[0] = target.join(subscriber, options);
      return target;
    });
    return joined[0];
  }

  /**
   * Ends a subscriber's membership of a group; the group ends with its last member. Any thread.
   *
   * @return true when it was a member
   */
  public boolean leave(SharedFilter filter, Subscriber subscriber) {
    boolean[] left = new boolean[1];
    groups.computeIfPresent(filter.toString(), (key, group) -> {
      left[0] = group.leave(subscriber);
      if (group.isEmpty()) {
        trie.unsubscribe(filter.topicFilter(), group);
        return null;
      }
      return group;
    });
    return left[0];
  }

  /** The group of a filter; null when it has no members. */
  public SharedGroup group(SharedFilter filter) {
    return groups.get(filter.toString());
  }

  /** The number of groups with members. */
  public int size() {
    return groups.size();
  }
}
