package io.tern.broker.admin;

import io.tern.broker.client.ClientInfo;
import io.tern.broker.message.QoS;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A session as its event loop saw it.
 *
 * @param clientId the client identifier
 * @param persistent whether it outlives its connection
 * @param client the connected client, or empty when offline
 * @param subscriptions topic filter to granted QoS, in the order subscribed
 * @param inflightMessages QoS 1 and 2 messages sent and not yet acknowledged
 * @param queuedMessages QoS 1 and 2 messages waiting to be sent
 */
public record SessionInfo(String clientId, boolean persistent, Optional<ClientInfo> client,
    Map<String, QoS> subscriptions, int inflightMessages, int queuedMessages) {
  public SessionInfo {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(client, "client");
    subscriptions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(subscriptions));
  }

  public boolean connected() {
    return client.isPresent();
  }
}
