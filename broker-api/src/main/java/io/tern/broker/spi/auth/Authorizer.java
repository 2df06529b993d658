package io.tern.broker.spi.auth;

import io.tern.broker.client.ClientInfo;
import io.tern.broker.message.QoS;

/**
 * Decides what a connected client may publish and subscribe to.
 *
 * <p>Called on the client's event loop for every PUBLISH and every filter of a SUBSCRIBE, so it
 * must be fast and must not block; implementations that consult slow sources cache. Calls for one
 * client come from one thread, in order. A method that throws is treated as {@link
 * AccessDecision#DENY} and logged. A denied publish is acknowledged but not delivered (MQTT 3.1.1
 * has no way to refuse it); a denied filter is refused in the SUBACK.
 */
public interface Authorizer {

  /** May this client publish to this topic? */
  AccessDecision checkPublish(ClientInfo client, String topic, QoS qos, boolean retain);

  /**
   * May this client subscribe to this filter? For a shared subscription, {@code
   * $share/{ShareName}/{filter}}, it is asked about the {@code filter} part alone: that is what
   * decides which messages the client reads.
   */
  AccessDecision checkSubscribe(ClientInfo client, String topicFilter, QoS qos);
}
