package io.tern.broker.spi.store;

import io.tern.broker.message.QoS;
import java.util.Objects;

/**
 * A subscription of a stored session.
 *
 * @param topicFilter the topic filter, as the client sent it
 * @param qos the granted QoS
 * @param noLocal the MQTT 5 No Local option: the client's own messages are not sent back to it
 * @param retainAsPublished the MQTT 5 Retain As Published option: forwarded messages keep their
 *     RETAIN flag
 * @param subscriptionIdentifier the MQTT 5 Subscription Identifier, 1 to 268,435,455, or 0 for none
 */
public record StoredSubscription(String topicFilter, QoS qos, boolean noLocal, boolean retainAsPublished,
    int subscriptionIdentifier) {
  /** The largest Subscription Identifier MQTT 5 allows. */
  public static final int MAX_SUBSCRIPTION_IDENTIFIER = 268_435_455;

  public StoredSubscription {
    Objects.requireNonNull(topicFilter, "topicFilter");
    Objects.requireNonNull(qos, "qos");
    if (subscriptionIdentifier < 0 || subscriptionIdentifier > MAX_SUBSCRIPTION_IDENTIFIER) {
      throw new IllegalArgumentException("subscription identifier out of range: " + subscriptionIdentifier);
    }
  }

  /** A subscription without MQTT 5 options, as an MQTT 3.1.1 client makes it. */
  public StoredSubscription(String topicFilter, QoS qos) {
    this(topicFilter, qos, false, false, 0);
  }
}
