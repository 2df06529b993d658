package io.tern.broker.client;

/** Why a client's connection ended. */
public enum DisconnectReason {
  /** The client sent DISCONNECT. */
  CLIENT_DISCONNECTED,
  /** The network connection closed or failed without a DISCONNECT. */
  CONNECTION_LOST,
  /** Nothing arrived for one and a half times the client's keep-alive. */
  KEEP_ALIVE_TIMEOUT,
  /** The connection sent no CONNECT within the connect timeout. */
  CONNECT_TIMEOUT,
  /**
   * The CONNECT was refused (protocol version, client id, limits, authentication), or an MQTT 5
   * client's re-authentication failed.
   */
  REFUSED,
  /** The client broke the protocol or sent a malformed packet. */
  PROTOCOL_ERROR,
  /** The client exceeded a configured limit that MQTT 3.1.1 can only answer by closing. */
  LIMIT_EXCEEDED,
  /** Another connection with the same client id took the session over. */
  TAKEN_OVER,
  /** The client did not read what the broker sent it fast enough. */
  SLOW_CONSUMER,
  /** The broker could not take on the client's traffic. */
  OVERLOADED,
  /** The host application disconnected the client through the admin API. */
  ADMINISTRATIVE,
  /** The broker is shutting down. */
  BROKER_STOPPED
}
