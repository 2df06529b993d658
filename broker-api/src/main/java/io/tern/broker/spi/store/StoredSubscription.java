package io.tern.broker.spi.store;

import io.tern.broker.message.QoS;
import java.util.Objects;

/**
 * A subscription of a stored session.
 *
 * @param topicFilter the topic filter, as the client sent it
 * @param qos the granted QoS
 */
public record StoredSubscription(String topicFilter, QoS qos) {
  public StoredSubscription {
    Objects.requireNonNull(topicFilter, "topicFilter");
    Objects.requireNonNull(qos, "qos");
  }
}
