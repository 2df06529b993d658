package io.tern.broker.core.routing;

import java.util.function.Consumer;

/**
 * Immutable open-addressing map from a literal topic level to a child node.
 *
 * <p>It exists so that matching can look a level up by a region of the topic string without
 * creating a substring: the region hash is computed with the same formula as {@link
 * String#hashCode()}, whose value every key caches. Changes produce a new table (copy-on-write),
 * which keeps lookups safe without locks.
 */
final class ChildTable<S> {

  private static final ChildTable<?> EMPTY = new ChildTable<>(new String[1], new Object[1], 0);

  private final String[] keys;
  private final Object[] nodes;
  private final int size;

  private ChildTable(String[] keys, Object[] nodes, int size) {
    this.keys = keys;
    this.nodes = nodes;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  static <S> ChildTable<S> empty() {
    return (ChildTable<S>) EMPTY;
  }

  int size() {
    return size;
  }

  /** Looks up the level {@code topic[start, end)} without allocating. */
  Node<S> get(String topic, int start, int end) {
    if (size == 0) {
      return null;
    }
    int length = end - start;
    int hash = 0;
    for (int i = start; i < end; i++) {
      hash = 31 * hash + topic.charAt(i);
    }
    int mask = keys.length - 1;
    for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
      String key = keys[i];
      if (key == null) {
        return null;
      }
      if (key.length() == length
          && key.hashCode() == hash
          && key.regionMatches(0, topic, start, length)) {
        return node(i);
      }
    }
  }

  Node<S> get(String key) {
    return get(key, 0, key.length());
  }

  /** Returns a table with {@code key} mapped to {@code node}, replacing any previous mapping. */
  ChildTable<S> with(String key, Node<S> node) {
    ChildTable<S> copy = withCapacityFor(get(key) == null ? size + 1 : size);
    forEachEntry(copy, key);
    copy.insert(key, node);
    return copy;
  }

  /** Returns a table without {@code key}; {@code this} if it was absent. */
  ChildTable<S> without(String key) {
    if (get(key) == null) {
      return this;
    }
    if (size == 1) {
      return empty();
    }
    ChildTable<S> copy = withCapacityFor(size - 1);
    forEachEntry(copy, key);
    return copy;
  }

  void forEachNode(Consumer<Node<S>> action) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) {
        action.accept(node(i));
      }
    }
  }

  private void forEachEntry(ChildTable<S> target, String skipKey) {
    for (int i = 0; i < keys.length; i++) {
      String key = keys[i];
      if (key != null && !key.equals(skipKey)) {
        target.insert(key, node(i));
      }
    }
  }

  // Only called on a table that has not been published yet.
  private void insert(String key, Node<S> node) {
    int mask = keys.length - 1;
    int i = spread(key.hashCode()) & mask;
    while (keys[i] != null) {
      i = (i + 1) & mask;
    }
    keys[i] = key;
    nodes[i] = node;
  }

  private ChildTable<S> withCapacityFor(int entries) {
    // Load factor at most 1/2 keeps probe sequences short on the hot path.
    int capacity = Integer.highestOneBit(Math.max(1, entries) * 2 - 1) << 1;
    return new ChildTable<>(new String[capacity], new Object[capacity], entries);
  }

  @SuppressWarnings("unchecked")
  private Node<S> node(int index) {
    return (Node<S>) nodes[index];
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }
}
