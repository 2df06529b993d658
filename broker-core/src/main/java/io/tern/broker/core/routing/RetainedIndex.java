package io.tern.broker.core.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Retained messages by topic name, with lookup by topic filter.
 *
 * <p>Matching follows the same rules as {@link TopicTrie}, including [MQTT-4.7.2-1]: filters
 * whose first level is a wildcard do not match topics starting with {@code $}.
 *
 * <p><b>Threading.</b> All methods may be called from any thread concurrently. Messages live in a
 * {@link ConcurrentHashMap} keyed by topic, so {@link #get}, replacing the message of an
 * existing topic, and wildcard-free lookups never block. Wildcard lookups walk a tree of topic
 * levels without locking. Only changes to the tree's shape (the first message on a topic, or the
 * removal of the last) serialize on an internal lock, which keeps pruning of empty branches
 * simple and race-free. A lookup running concurrently with a change may or may not see it.
 *
 * @param <M> the message type
 */
public final class RetainedIndex<M> {

  private final Map<String, M> messages = new ConcurrentHashMap<>();
  private final Level root = new Level();
  private final Object shapeLock = new Object();

  /** Stores {@code message} as the retained message of {@code topic}, replacing any previous. */
  public void put(String topic, M message) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(message, "message");
    if (messages.put(topic, message) == null) {
      reconcile(topic);
    }
  }

  /**
   * Removes the retained message of {@code topic}.
   *
   * @return true if there was one
   */
  public boolean remove(String topic) {
    if (messages.remove(topic) == null) {
      return false;
    }
    reconcile(topic);
    return true;
  }

  /** The retained message of {@code topic}, or null. */
  public M get(String topic) {
    return messages.get(topic);
  }

  /** The number of retained messages. */
  public int size() {
    return messages.size();
  }

  /** Passes every retained message whose topic matches {@code filter} to {@code consumer}. */
  public void forEachMatching(String filter, Consumer<M> consumer) {
    if (filter.indexOf('+') < 0 && filter.indexOf('#') < 0) {
      M message = messages.get(filter);
      if (message != null) {
        consumer.accept(message);
      }
      return;
    }
    walk(root, filter, 0, consumer);
  }

  /** Passes every (topic, message) pair to {@code action}; for administration and persistence. */
  public void forEach(BiConsumer<String, M> action) {
    messages.forEach(action);
  }

  /** Counts tree levels including the root; lets tests verify that pruning happens. */
  int levelCount() {
    return root.count();
  }

  /**
   * Brings the tree in line with whether {@code topic} currently has a message. Racing put and
   * remove calls each reconcile after changing the map, so the last one to take the lock leaves
   * the tree matching the map's final state.
   */
  private void reconcile(String topic) {
    synchronized (shapeLock) {
      boolean present = messages.containsKey(topic);
      List<Level> path = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      Level level = root;
      int start = 0;
      while (true) {
        int end = levelEnd(topic, start);
        String key = topic.substring(start, end);
        Level next = level.children.get(key);
        if (next == null) {
          if (!present) {
            return;
          }
          next = new Level();
          level.children.put(key, next);
        }
        path.add(level);
        keys.add(key);
        level = next;
        if (end == topic.length()) {
          break;
        }
        start = end + 1;
      }
      if (present) {
        level.topic = topic;
        return;
      }
      level.topic = null;
      for (int i = path.size() - 1; i >= 0 && level.isEmpty(); i--) {
        Level parent = path.get(i);
        parent.children.remove(keys.get(i));
        level = parent;
      }
    }
  }

  // start is the index where the current filter level begins.
  private void walk(Level level, String filter, int start, Consumer<M> consumer) {
    if (start > filter.length()) {
      emit(level, consumer);
      return;
    }
    int end = levelEnd(filter, start);
    boolean atRoot = start == 0;
    if (end - start == 1 && filter.charAt(start) == '#') {
      // "a/#" matches "a" itself as well as everything below it.
      emit(level, consumer);
      emitAll(level, atRoot, consumer);
      return;
    }
    if (end - start == 1 && filter.charAt(start) == '+') {
      for (Map.Entry<String, Level> child : level.children.entrySet()) {
        if (!(atRoot && isDollar(child.getKey()))) {
          walk(child.getValue(), filter, end + 1, consumer);
        }
      }
      return;
    }
    Level child = level.children.get(filter.substring(start, end));
    if (child != null) {
      walk(child, filter, end + 1, consumer);
    }
  }

  private void emitAll(Level level, boolean skipDollar, Consumer<M> consumer) {
    for (Map.Entry<String, Level> child : level.children.entrySet()) {
      if (!(skipDollar && isDollar(child.getKey()))) {
        emit(child.getValue(), consumer);
        emitAll(child.getValue(), false, consumer);
      }
    }
  }

  private void emit(Level level, Consumer<M> consumer) {
    String topic = level.topic;
    if (topic != null) {
      // The map is authoritative; the tree may briefly lag a concurrent remove.
      M message = messages.get(topic);
      if (message != null) {
        consumer.accept(message);
      }
    }
  }

  private static boolean isDollar(String level) {
    return !level.isEmpty() && level.charAt(0) == '$';
  }

  private static int levelEnd(String name, int start) {
    int end = name.indexOf('/', start);
    return end < 0 ? name.length() : end;
  }

  /** A tree level; {@code topic} is set while a message is retained for exactly this path. */
  private static final class Level {
    final Map<String, Level> children = new ConcurrentHashMap<>(4);
    volatile String topic;

    boolean isEmpty() {
      return topic == null && children.isEmpty();
    }

    int count() {
      int count = 1;
      for (Level child : children.values()) {
        count += child.count();
      }
      return count;
    }
  }
}
