package io.tern.broker.client;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a connected client is, as authorizers and hooks see it.
 *
 * @param clientId the client identifier (server-assigned when the client sent none)
 * @param username the user name from CONNECT, if any
 * @param remoteAddress the peer's address
 * @param protocolVersion 3 for MQTT 3.1, 4 for MQTT 3.1.1, 5 for MQTT 5.0
 */
public record ClientInfo(String clientId, Optional<String> username, InetSocketAddress remoteAddress,
    int protocolVersion) {
  public ClientInfo {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
  }
}
