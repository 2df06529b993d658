package io.tern.broker.spi.auth;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client presented when it connected.
 *
 * @param clientId the client identifier (server-assigned when the client sent none)
 * @param username the user name, if the client sent one
 * @param password the password, if the client sent one; a copy the authenticator may keep or clear
 * @param remoteAddress the peer's address
 * @param protocolVersion 3 for MQTT 3.1, 4 for MQTT 3.1.1, 5 for MQTT 5.0
 */
public record AuthRequest(String clientId, Optional<String> username, Optional<byte[]> password,
    InetSocketAddress remoteAddress, int protocolVersion) {
  public AuthRequest {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
  }
}
