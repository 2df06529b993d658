package io.tern.broker.spi.auth;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client presented to start an authentication: its CONNECT, or, for an MQTT 5 client
 * that authenticated with an Authentication Method, an AUTH packet asking to re-authenticate
 * (Reason Code 0x19) on the open connection.
 *
 * <p>A plain username/password authenticator reads the first five components and ignores the
 * rest: it is never given a request with an Authentication Method unless it declares the method
 * in {@link Authenticator#authenticationMethods()}.
 *
 * <p>Made by the broker on the client's event loop and handed to {@link
 * Authenticator#authenticate}; a value that may be read on any thread. Its byte arrays are copies
 * of the authenticator's own.
 *
 * @param clientId the client identifier (server-assigned when the client sent none)
 * @param username the user name, if the client sent one in its CONNECT
 * @param password the password, if the client sent one; a copy the authenticator may keep or
 *     clear. Always empty when re-authenticating: the broker does not keep passwords.
 * @param remoteAddress the peer's address
 * @param protocolVersion 3 for MQTT 3.1, 4 for MQTT 3.1.1, 5 for MQTT 5.0
 * @param authenticationMethod the MQTT 5 Authentication Method (enhanced authentication), if the
 *     client named one; always one of {@link Authenticator#authenticationMethods()}
 * @param authenticationData the MQTT 5 Authentication Data that came with it, if any; a copy the
 *     authenticator may keep or clear
 * @param reauthentication true when a connected client asks to re-authenticate with AUTH 0x19,
 *     false for a CONNECT
 */
public record AuthRequest(String clientId, Optional<String> username, Optional<byte[]> password,
    InetSocketAddress remoteAddress, int protocolVersion, Optional<String> authenticationMethod,
    Optional<byte[]> authenticationData, boolean reauthentication) {
  public AuthRequest {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    Objects.requireNonNull(authenticationMethod, "authenticationMethod");
    Objects.requireNonNull(authenticationData, "authenticationData");
    if (authenticationData.isPresent() && authenticationMethod.isEmpty()) {
      throw new IllegalArgumentException("authentication data without an authentication method");
    }
    if (reauthentication && authenticationMethod.isEmpty()) {
      throw new IllegalArgumentException("re-authentication needs an authentication method");
    }
  }

  /** A CONNECT without enhanced authentication: user name and password only. */
  public AuthRequest(String clientId, Optional<String> username, Optional<byte[]> password,
      InetSocketAddress remoteAddress, int protocolVersion) {
    this(clientId, username, password, remoteAddress, protocolVersion, Optional.empty(), Optional.empty(), false);
  }
}
