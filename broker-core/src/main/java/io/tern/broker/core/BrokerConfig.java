package io.tern.broker.core;

import io.tern.broker.SharedSubscriptionStrategy;
import java.time.Duration;

/**
 * The validated, immutable configuration of one broker. Built by the runtime's builder; read by
 * every layer.
 *
 * @param receiveMaximum the MQTT 5 Receive Maximum the broker announces: QoS 2 messages a client
 *     may have awaiting PUBREL
 * @param topicAliasMaximum the MQTT 5 Topic Alias Maximum the broker announces for clients' aliases
 * @param outboundTopicAliases the most topic aliases the broker assigns per MQTT 5 connection
 * @param maxSessionExpirySeconds the longest Session Expiry Interval granted; 0xFFFFFFFF for no cap
 * @param maxKeepAliveSeconds the longest keep-alive granted to MQTT 5 clients, which are told with
 *     Server Keep Alive; 65535 for no cap
 * @param responseInformation the Response Information for MQTT 5 clients that ask; null for none
 * @param sysInterval how often the statistics under {@code $SYS/broker/} are published; zero for never
 * @param sharedSubscriptionStrategy how one member of a share group is chosen per message
 */
public record BrokerConfig(
    String host,
    int port,
    int eventLoops,
    int maxPacketSize,
    int maxInflight,
    int maxQueuedMessages,
    int maxOutboundBytes,
    Duration connectTimeout,
    int maxConnections,
    int maxQos,
    int maxTopicLength,
    int maxTopicLevels,
    int maxSubscriptionsPerClient,
    int maxClientIdLength,
    int receiveMaximum,
    int topicAliasMaximum,
    int outboundTopicAliases,
    long maxSessionExpirySeconds,
    int maxKeepAliveSeconds,
    String responseInformation,
    Duration sysInterval,
    SharedSubscriptionStrategy sharedSubscriptionStrategy) {

  public BrokerConfig {
    require(host != null && !host.isBlank(), "host must not be blank");
    require(port >= 0 && port <= 65535, "port must be 0 to 65535, not " + port);
    require(eventLoops >= 1, "eventLoops must be at least 1, not " + eventLoops);
    require(maxPacketSize >= 64 && maxPacketSize <= 268_435_460,
        "maxPacketSize must be 64 to 268435460 bytes, not " + maxPacketSize);
    require(maxInflight >= 1 && maxInflight <= 65_535,
        "maxInflight must be 1 to 65535, not " + maxInflight);
    require(maxQueuedMessages >= 0, "maxQueuedMessages must not be negative");
    require(maxOutboundBytes >= 2 * maxPacketSize,
        "maxOutboundBytes must be at least twice maxPacketSize (" + 2L * maxPacketSize + ")");
    require(connectTimeout != null && !connectTimeout.isNegative() && !connectTimeout.isZero(),
        "connectTimeout must be positive");
    require(maxConnections >= 1, "maxConnections must be at least 1");
    require(maxQos >= 0 && maxQos <= 2, "maxQos must be 0 to 2");
    require(maxTopicLength >= 1 && maxTopicLength <= 65_535, "maxTopicLength must be 1 to 65535");
    require(maxTopicLevels >= 1, "maxTopicLevels must be at least 1");
    require(maxSubscriptionsPerClient >= 1, "maxSubscriptionsPerClient must be at least 1");
    // [MQTT-3.1.3-5] a server must accept every client id of 1 to 23 bytes.
    require(maxClientIdLength >= 23 && maxClientIdLength <= 65_535, "maxClientIdLength must be 23 to 65535");
    require(receiveMaximum >= 1 && receiveMaximum <= 65_535, "receiveMaximum must be 1 to 65535");
    require(topicAliasMaximum >= 0 && topicAliasMaximum <= 65_535, "topicAliasMaximum must be 0 to 65535");
    require(outboundTopicAliases >= 0 && outboundTopicAliases <= 65_535, "outboundTopicAliases must be 0 to 65535");
    require(maxSessionExpirySeconds >= 0 && maxSessionExpirySeconds <= 0xFFFF_FFFFL,
        "maxSessionExpiry must be 0 to 4294967295 seconds");
    require(sysInterval != null && !sysInterval.isNegative()
        && (sysInterval.isZero() || sysInterval.toMillis() >= 100), "sysInterval must be zero or at least 100 ms");
    require(sharedSubscriptionStrategy != null, "sharedSubscriptionStrategy must not be null");
    require(maxKeepAliveSeconds >= 1 && maxKeepAliveSeconds <= 65_535, "maxKeepAlive must be 1 to 65535 seconds");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
