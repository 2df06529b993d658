package io.tern.broker.core.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Maps MQTT topic filters to subscribers and finds the subscribers of a published topic.
 *
 * <p>Matching follows MQTT 3.1.1 section 4.7: levels are separated by {@code /} and may be
 * empty, {@code +} matches exactly one level, {@code #} matches its parent level and any number
 * of child levels, and topics starting with {@code $} are not matched by filters whose first
 * level is a wildcard. Comparison is case-sensitive. Inputs are assumed to be syntactically
 * valid.
 *
 * <p><b>Threading.</b> {@link #match} may be called from any number of threads at once and never
 * blocks: it takes no lock and allocates nothing itself. {@link #subscribe} and {@link
 * #unsubscribe} may be called from any thread; they serialize on an internal lock. This split
 * fits the broker, where publishing is the hot path and subscription changes are comparatively
 * rare.
 *
 * <p><b>Design.</b> Nodes are updated copy-on-write at node granularity rather than by copying
 * the whole path up to a new root: each node holds volatile references to an immutable child
 * table and an immutable subscription array, and a writer replaces just the array it changes.
 * Path copying would copy the (typically widest) root table on every subscription anywhere.
 * A concurrent reader sees each individual subscription either before or after a change, never
 * a torn state; it does not see one atomic snapshot of the whole trie, which publishing does not
 * need. The price is that adding or removing at a node copies that node's subscription array or
 * child table, so writes cost O(fan-out of the touched node).
 *
 * @param <S> the subscriber type, compared with {@link Object#equals}
 */
public final class TopicTrie<S> {

  private final Node<S> root = new Node<>();
  private final Object writeLock = new Object();
  private volatile long generation;
  private volatile int subscriptionCount;

  /**
   * Adds a subscription, or replaces the value of an existing one for the same pair.
   *
   * @param qos the value stored with the subscription and reported by {@link #match}: a QoS, or
   *     several options packed into one int
   * @return true if the (filter, subscriber) pair is new, false if it already existed
   */
  public boolean subscribe(String filter, S subscriber, int qos) {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(subscriber, "subscriber");
    synchronized (writeLock) {
      Node<S> node = root;
      int start = 0;
      while (true) {
        int end = levelEnd(filter, start);
        String level = filter.substring(start, end);
        Node<S> next = node.child(level);
        if (next == null) {
          next = new Node<>();
          node.putChild(level, next);
        }
        node = next;
        if (end == filter.length()) {
          break;
        }
        start = end + 1;
      }
      int outcome = node.addOrReplace(subscriber, qos);
      if (outcome >= 0) {
        generation++;
      }
      if (outcome > 0) {
        subscriptionCount++;
        return true;
      }
      return false;
    }
  }

  /**
   * Removes a subscription and prunes nodes left empty.
   *
   * @return true if the (filter, subscriber) pair existed
   */
  public boolean unsubscribe(String filter, S subscriber) {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(subscriber, "subscriber");
    synchronized (writeLock) {
      List<Node<S>> path = new ArrayList<>();
      List<String> levels = new ArrayList<>();
      Node<S> node = root;
      int start = 0;
      while (true) {
        int end = levelEnd(filter, start);
        String level = filter.substring(start, end);
        path.add(node);
        levels.add(level);
        node = node.child(level);
        if (node == null) {
          return false;
        }
        if (end == filter.length()) {
          break;
        }
        start = end + 1;
      }
      if (!node.remove(subscriber)) {
        return false;
      }
      for (int i = path.size() - 1; i >= 0 && node.isEmpty(); i--) {
        Node<S> parent = path.get(i);
        parent.removeChild(levels.get(i));
        node = parent;
      }
      subscriptionCount--;
      generation++;
      return true;
    }
  }

  /**
   * Reports every subscription whose filter matches {@code topic}, once per (filter, subscriber)
   * pair, on the calling thread.
   *
   * @param topic a topic name without wildcards
   */
  public void match(String topic, MatchConsumer<S> consumer) {
    if (!topic.isEmpty() && topic.charAt(0) == '$') {
      // [MQTT-4.7.2-1]: leading wildcards must not match; only literal first levels may.
      int end = levelEnd(topic, 0);
      Node<S> child = root.children.get(topic, 0, end);
      if (child != null) {
        match(child, topic, end + 1, consumer);
      }
      return;
    }
    match(root, topic, 0, consumer);
  }

  /** Increases on every change to the set of subscriptions or their QoS. */
  public long generation() {
    return generation;
  }

  /** The number of (filter, subscriber) pairs. */
  public int subscriptionCount() {
    return subscriptionCount;
  }

  /** Counts nodes including the root; lets tests verify that pruning happens. */
  int nodeCount() {
    return countNodes(root);
  }

  // start is the index where the current level begins; past topic.length() means no level left.
  private static <S> void match(Node<S> node, String topic, int start, MatchConsumer<S> consumer) {
    Node<S> multiLevel = node.multiLevel;
    if (multiLevel != null) {
      // "a/#" matches "a" itself as well as anything below it.
      emit(multiLevel, consumer);
    }
    int length = topic.length();
    if (start > length) {
      emit(node, consumer);
      return;
    }
    int end = levelEnd(topic, start);
    Node<S> literal = node.children.get(topic, start, end);
    if (literal != null) {
      match(literal, topic, end + 1, consumer);
    }
    Node<S> singleLevel = node.singleLevel;
    if (singleLevel != null) {
      match(singleLevel, topic, end + 1, consumer);
    }
  }

  private static <S> void emit(Node<S> node, MatchConsumer<S> consumer) {
    for (Subscription<S> subscription : node.subscriptions) {
      consumer.accept(subscription.subscriber, subscription.qos);
    }
  }

  private static int levelEnd(String name, int start) {
    int end = name.indexOf('/', start);
    return end < 0 ? name.length() : end;
  }

  private static <S> int countNodes(Node<S> node) {
    int[] count = {1};
    node.children.forEachNode(child -> count[0] += countNodes(child));
    if (node.singleLevel != null) {
      count[0] += countNodes(node.singleLevel);
    }
    if (node.multiLevel != null) {
      count[0] += countNodes(node.multiLevel);
    }
    return count[0];
  }
}
