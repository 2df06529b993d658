package io.tern.broker.core.session;

import java.util.HashMap;
import java.util.Map;

/**
 * The topic aliases the broker assigned on one MQTT 5 connection, up to the lower of the client's
 * Topic Alias Maximum and the broker's limit. The first topics sent get the aliases and keep them
 * for the connection's life: no eviction, so that an alias never changes meaning mid-stream.
 * Loop thread only; a new connection starts empty [MQTT-3.3.2-7].
 */
final class OutboundAliases {
  private final int maximum;
  private final Map<String, Integer> byTopic;

  OutboundAliases(int maximum) {
    this.maximum = maximum;
    this.byTopic = maximum == 0 ? Map.of() : new HashMap<>();
  }

  /** The alias the client already knows for this topic, or 0. */
  int known(String topic) {
    Integer alias = byTopic.get(topic);
    return alias == null ? 0 : alias;
  }

  /** The alias to assign to a new topic, or 0 when all are taken; {@link #assign} makes it so. */
  int free() {
    return byTopic.size() < maximum ? byTopic.size() + 1 : 0;
  }

  void assign(String topic, int alias) {
    byTopic.put(topic, alias);
  }
}
