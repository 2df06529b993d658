package io.tern.broker.core.delivery;

import io.tern.broker.SharedSubscriptionStrategy;
import io.tern.broker.core.routing.SharedFilter;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One share group: the subscribers of one {@code $share/{ShareName}/{filter}} (MQTT 5.0 section
 * 4.8.2). It stands in the topic trie under its filter, once, where a subscriber would; the
 * {@link Dispatcher} recognises it there and gives each matching message to one member, chosen by
 * {@link #pick}.
 *
 * <p><b>Threading.</b> {@link #pick} may run on every loop at once and takes no lock: the members
 * are an immutable array behind a volatile field, replaced whole on every change, and the
 * round-robin cursor is atomic. {@link #join} and {@link #leave} are made one at a time by {@link
 * SharedGroups}. Whether a member is connected is read as a hint ({@link Subscriber#online()}):
 * a member chosen just as it disconnects passes the message on when it arrives.
 *
 * <p>It is a {@link Subscriber} only to have a place in the trie; it never receives messages
 * itself.
 */
public final class SharedGroup implements Subscriber {
  private static final Member[] NONE = new Member[0];

  private final SharedFilter filter;
  private final SharedSubscriptionStrategy strategy;
  private final AtomicInteger cursor = new AtomicInteger();
  private volatile Member[] members = NONE;

  /**
   * One member with the options of its subscription.
   *
   * @param options its {@link SubscriptionOptions}: granted QoS, Retain As Published, identifier
   */
  public record Member(SharedGroup group, Subscriber subscriber, int options) {
    /** Its options for one message: the QoS lowered to the message's. */
    public int optionsFor(Message message) {
      return SubscriptionOptions.withQos(options, Math.min(message.qos(), SubscriptionOptions.qos(options)));
    }
  }

  SharedGroup(SharedFilter filter, SharedSubscriptionStrategy strategy) {
    this.filter = Objects.requireNonNull(filter, "filter");
    this.strategy = Objects.requireNonNull(strategy, "strategy");
  }

  public SharedFilter filter() {
    return filter;
  }

  /** The members now, in the order they joined. */
  public Member[] members() {
    return members.clone();
  }

  public boolean isEmpty() {
    return members.length == 0;
  }

  /**
   * Adds a member, or replaces the options of one: a session subscribing again stays one member
   * (MQTT 5.0 section 4.8.2). One caller at a time.
   *
   * @return true when it was not a member
   */
  boolean join(Subscriber subscriber, int options) {
    Member[] current = members;
    int index = indexOf(current, subscriber);
    Member[] next = Arrays.copyOf(current, index >= 0 ? current.length : current.length + 1);
    next[index >= 0 ? index : current.length] = new Member(this, subscriber, options);
    members = next;
    return index < 0;
  }

  /** Removes a member. One caller at a time. @return true when it was one */
  boolean leave(Subscriber subscriber) {
    Member[] current = members;
    int index = indexOf(current, subscriber);
    if (index < 0) {
      return false;
    }
    Member[] next = current.length == 1 ? NONE : new Member[current.length - 1];
    System.arraycopy(current, 0, next, 0, index);
    System.arraycopy(current, index + 1, next, index, current.length - index - 1);
    members = next;
    return true;
  }

  /**
   * Chooses the member that gets a message: a connected one, by the strategy; when none is
   * connected and {@code allowOffline}, one whose session keeps messages while offline, by the
   * strategy too. Any thread; no lock, no allocation.
   *
   * @param exclude a member not to choose, such as the one giving the message up; null for none
   * @return the member, or null when there is none to take it
   */
  public Member pick(Message message, Subscriber exclude, boolean allowOffline) {
    Member[] current = members;
    if (current.length == 0) {
      return null;
    }
    Member chosen = choose(current, message, exclude, true);
    if (chosen == null && allowOffline) {
      chosen = choose(current, message, exclude, false);
    }
    return chosen;
  }

  private Member choose(Member[] current, Message message, Subscriber exclude, boolean online) {
    if (strategy == SharedSubscriptionStrategy.STICKY_BY_PUBLISHER) {
      return highestScore(current, stickyKey(message), exclude, online);
    }
    int n = current.length;
    int start = strategy == SharedSubscriptionStrategy.RANDOM
        ? ThreadLocalRandom.current().nextInt(n)
        : Math.floorMod(cursor.getAndIncrement(), n);
    // The first eligible member from the start: a member that is offline passes its turn on.
    for (int i = 0; i < n; i++) {
      Member member = current[(start + i) % n];
      if (eligible(member, exclude, online)) {
        return member;
      }
    }
    return null;
  }

  /**
   * Rendezvous hashing: every (publisher, member) pair gets a score, and the eligible member with
   * the highest wins. A publisher stays with its member while that one is eligible, and a member
   * leaving moves only the publishers it had.
   */
  private static Member highestScore(Member[] current, int key, Subscriber exclude, boolean online) {
    Member best = null;
    long bestScore = 0;
    for (Member member : current) {
      if (!eligible(member, exclude, online)) {
        continue;
      }
      long score = score(key, member);
      if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
        best = member;
        bestScore = score;
      }
    }
    return best;
  }

  private static int stickyKey(Message message) {
    return message.origin() != null ? message.origin().hashCode() : message.topic().hashCode();
  }

  private static long score(int key, Member member) {
    // Client ids rather than identities, so that the assignment survives a restart.
    int memberKey = Objects.hashCode(member.subscriber().clientId());
    long x = ((long) key << 32) | (memberKey & 0xFFFF_FFFFL);
    // The SplitMix64 finalizer: every input bit affects every output bit.
    x = (x ^ (x >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    x = (x ^ (x >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return x ^ (x >>> 31);
  }

  private static boolean eligible(Member member, Subscriber exclude, boolean online) {
    Subscriber subscriber = member.subscriber();
    return subscriber != exclude && (online ? subscriber.online() : subscriber.keepsMessages());
  }

  private static int indexOf(Member[] current, Subscriber subscriber) {
    for (int i = 0; i < current.length; i++) {
      if (current[i].subscriber() == subscriber) {
        return i;
      }
    }
    return -1;
  }

  /** Never called: the dispatcher delivers to a member instead. */
  @Override
  public int loopIndex() {
    throw new UnsupportedOperationException("a share group has members on any loop");
  }

  @Override
  public String clientId() {
    return null;
  }

  /** Never called: the dispatcher delivers to a member instead. */
  @Override
  public void deliver(Message message, int options, int[] identifiers) {
    throw new UnsupportedOperationException("share group " + filter + " delivers through its members");
  }

  @Override
  public String toString() {
    return "SharedGroup[" + filter + ", " + members.length + " members]";
  }
}
