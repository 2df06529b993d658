package io.tern.broker.core.routing;

import java.util.Objects;

/**
 * One level of a {@link TopicTrie}.
 *
 * <p>Every field is a volatile reference to immutable data, so a reader sees either the old or
 * the new value and never a half-built one. Only the trie's writer (holding its lock) mutates
 * nodes. {@code +} and {@code #} children get their own fields because matching probes them at
 * every level.
 */
final class Node<S> {

  static final String SINGLE_LEVEL = "+";
  static final String MULTI_LEVEL = "#";

  volatile ChildTable<S> children = ChildTable.empty();
  volatile Node<S> singleLevel;
  volatile Node<S> multiLevel;
  volatile Subscription<S>[] subscriptions = Subscription.none();

  Node<S> child(String level) {
    switch (level) {
      case SINGLE_LEVEL:
        return singleLevel;
      case MULTI_LEVEL:
        return multiLevel;
      default:
        return children.get(level);
    }
  }

  void putChild(String level, Node<S> child) {
    switch (level) {
      case SINGLE_LEVEL:
        singleLevel = child;
        break;
      case MULTI_LEVEL:
        multiLevel = child;
        break;
      default:
        children = children.with(level, child);
    }
  }

  void removeChild(String level) {
    switch (level) {
      case SINGLE_LEVEL:
        singleLevel = null;
        break;
      case MULTI_LEVEL:
        multiLevel = null;
        break;
      default:
        children = children.without(level);
    }
  }

  boolean isEmpty() {
    return subscriptions.length == 0
        && children.size() == 0
        && singleLevel == null
        && multiLevel == null;
  }

  /**
   * Adds the subscriber or replaces its QoS.
   *
   * @return 1 if added, 0 if its QoS changed, -1 if nothing changed
   */
  int addOrReplace(S subscriber, int qos) {
    Subscription<S>[] current = subscriptions;
    int index = indexOf(current, subscriber);
    if (index >= 0 && current[index].qos == qos) {
      return -1;
    }
    Subscription<S>[] next =
        Subscription.newArray(index >= 0 ? current.length : current.length + 1);
    System.arraycopy(current, 0, next, 0, current.length);
    next[index >= 0 ? index : current.length] = new Subscription<>(subscriber, qos);
    subscriptions = next;
    return index >= 0 ? 0 : 1;
  }

  boolean remove(S subscriber) {
    Subscription<S>[] current = subscriptions;
    int index = indexOf(current, subscriber);
    if (index < 0) {
      return false;
    }
    Subscription<S>[] next = Subscription.newArray(current.length - 1);
    System.arraycopy(current, 0, next, 0, index);
    System.arraycopy(current, index + 1, next, index, current.length - index - 1);
    subscriptions = next;
    return true;
  }

  private static <S> int indexOf(Subscription<S>[] subscriptions, S subscriber) {
    for (int i = 0; i < subscriptions.length; i++) {
      if (Objects.equals(subscriptions[i].subscriber, subscriber)) {
        return i;
      }
    }
    return -1;
  }
}
