package io.tern.broker.core.session;

import io.tern.broker.core.BrokerConfig;
import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.Properties;

/**
 * What a CONNECT asked for and what the broker grants: session expiry, flow control, packet size,
 * topic aliases and keep-alive, with the MQTT 5 CONNACK properties that say so. MQTT 3.1.1 clients
 * get the fixed answers of their protocol.
 *
 * @param sessionExpirySeconds granted: 0 ends the session with the connection
 * @param receiveMaximum how many QoS 1 and 2 messages the client takes unacknowledged
 * @param maxPacketSize the largest packet the client takes
 * @param topicAliasMaximum the client's Topic Alias Maximum (the broker's aliases to it)
 * @param keepAliveSeconds the keep-alive in force
 * @param serverKeepAlive whether the broker overrode the client's keep-alive
 */
record Negotiation(boolean v5, long sessionExpirySeconds, boolean expiryLowered, int receiveMaximum,
    long maxPacketSize, int topicAliasMaximum, int keepAliveSeconds, boolean serverKeepAlive,
    boolean responseInformationRequested) {

  static Negotiation of(Connect connect, BrokerConfig config) {
    if (connect.protocolLevel() != 5) {
      long expiry = connect.cleanSession() ? 0 : Session.NEVER_EXPIRES;
      return new Negotiation(false, expiry, false, 65_535, Long.MAX_VALUE, 0, connect.keepAliveSeconds(), false,
          false);
    }
    Properties p = connect.properties();
    long requested = p.sessionExpiryInterval() == null ? 0 : p.sessionExpiryInterval();
    long expiry = Math.min(requested, config.maxSessionExpirySeconds());
    int keepAlive = connect.keepAliveSeconds();
    boolean override = keepAlive == 0 || keepAlive > config.maxKeepAliveSeconds();
    override &= config.maxKeepAliveSeconds() < 65_535;
    return new Negotiation(true, expiry, expiry != requested,
        p.receiveMaximum() == null ? 65_535 : p.receiveMaximum(),
        p.maximumPacketSize() == null ? Long.MAX_VALUE : p.maximumPacketSize(),
        p.topicAliasMaximum() == null ? 0 : p.topicAliasMaximum(),
        override ? config.maxKeepAliveSeconds() : keepAlive, override,
        Boolean.TRUE.equals(p.requestResponseInformation()));
  }

  /**
   * The MQTT 5 CONNACK properties: what the broker supports and what it changed of the request.
   *
   * @param explicitDefaults whether to state also what the client would assume without being told
   *     (retained messages, wildcard subscriptions, subscription identifiers and shared
   *     subscriptions available)
   */
  Properties connAckProperties(BrokerConfig config, String assignedClientId, boolean explicitDefaults) {
    Properties.Builder b = Properties.builder();
    if (assignedClientId != null) {
      b.assignedClientIdentifier(assignedClientId); // [MQTT-3.2.2-16]
    }
    if (expiryLowered) {
      b.sessionExpiryInterval(sessionExpirySeconds);
    }
    if (serverKeepAlive) {
      b.serverKeepAlive(keepAliveSeconds); // [MQTT-3.2.2-21]
    }
    if (config.receiveMaximum() < 65_535) {
      b.receiveMaximum(config.receiveMaximum());
    }
    if (config.maxQos() < 2) {
      b.maximumQos(config.maxQos());
    }
    if (config.topicAliasMaximum() > 0) {
      b.topicAliasMaximum(config.topicAliasMaximum());
    }
    if (responseInformationRequested && config.responseInformation() != null) {
      b.responseInformation(config.responseInformation());
    }
    if (explicitDefaults) {
      b.retainAvailable(true).wildcardSubscriptionAvailable(true).subscriptionIdentifierAvailable(true)
          .sharedSubscriptionAvailable(true);
    }
    return b.maximumPacketSize(config.maxPacketSize())
        .build();
  }
}
