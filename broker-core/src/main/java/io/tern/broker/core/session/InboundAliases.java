package io.tern.broker.core.session;

/**
 * The topic aliases one MQTT 5 client has set on its connection, 1 to the Topic Alias Maximum the
 * broker announced. Loop thread only; a new connection starts empty.
 */
final class InboundAliases {
  private final String[] topics;

  InboundAliases(int maximum) {
    this.topics = new String[maximum + 1];
  }

  /** Whether the broker accepts this alias at all [MQTT-3.3.2-9]. */
  boolean inRange(int alias) {
    return alias >= 1 && alias < topics.length;
  }

  /** The topic an alias stands for, or null when the client has not set it. */
  String topic(int alias) {
    return topics[alias];
  }

  void set(int alias, String topic) {
    topics[alias] = topic;
  }
}
