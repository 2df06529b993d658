package io.tern.broker.core.delivery;

/**
 * One subscription's options packed into an {@code int}, so that the topic trie can store them
 * beside the subscriber and matching allocates nothing: bits 0-1 hold the granted QoS, bit 2 No
 * Local, bit 3 Retain As Published, and bits 4-31 the Subscription Identifier (0 for none; MQTT 5
 * caps identifiers at 268,435,455, which is exactly 28 bits).
 *
 * <p>Retain Handling is not kept: it matters only at the moment of subscribing.
 */
public final class SubscriptionOptions {
  private static final int QOS_MASK = 0b11;
  private static final int NO_LOCAL = 1 << 2;
  private static final int RETAIN_AS_PUBLISHED = 1 << 3;
  private static final int IDENTIFIER_SHIFT = 4;
  /** The largest Subscription Identifier MQTT 5 allows. */
  public static final int MAX_IDENTIFIER = 268_435_455;

  private SubscriptionOptions() {}

  /** Options with the QoS alone, as every MQTT 3.1.1 subscription has. */
  public static int ofQos(int qos) {
    return qos;
  }

  public static int of(int qos, boolean noLocal, boolean retainAsPublished, int identifier) {
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException("QoS out of range: " + qos);
    }
    if (identifier < 0 || identifier > MAX_IDENTIFIER) {
      throw new IllegalArgumentException("subscription identifier out of range: " + identifier);
    }
    return qos | (noLocal ? NO_LOCAL : 0) | (retainAsPublished ? RETAIN_AS_PUBLISHED : 0)
        | (identifier << IDENTIFIER_SHIFT);
  }

  public static int qos(int options) {
    return options & QOS_MASK;
  }

  public static boolean noLocal(int options) {
    return (options & NO_LOCAL) != 0;
  }

  public static boolean retainAsPublished(int options) {
    return (options & RETAIN_AS_PUBLISHED) != 0;
  }

  /** The Subscription Identifier, or 0 when there is none. */
  public static int identifier(int options) {
    return options >>> IDENTIFIER_SHIFT;
  }

  /** The same options with another QoS. */
  public static int withQos(int options, int qos) {
    return (options & ~QOS_MASK) | qos;
  }

  /** The same options without an identifier. */
  public static int withoutIdentifier(int options) {
    return options & ((1 << IDENTIFIER_SHIFT) - 1);
  }
}
