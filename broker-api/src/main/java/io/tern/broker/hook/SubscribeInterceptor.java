package io.tern.broker.hook;

import io.tern.broker.client.ClientInfo;
import io.tern.broker.message.QoS;

/**
 * Sees every topic filter a client subscribes to, after authorization, and may lower its QoS or
 * refuse it. See the package documentation for its thread and failure rules.
 */
@FunctionalInterface
public interface SubscribeInterceptor {

  /**
   * Decides on one filter of a SUBSCRIBE.
   *
   * @param requested the QoS the client asked for, already capped at the broker's maximum
   */
  SubscribeDecision intercept(ClientInfo client, String topicFilter, QoS requested);
}
