package io.tern.broker.core.codec;

import java.util.Objects;

/**
 * CONNECT. {@code protocolLevel} is 3 for MQTT 3.1 ("MQIsdp"), 4 for MQTT 3.1.1 ("MQTT") and 5 for
 * MQTT 5 ("MQTT").
 *
 * @param clientId the client identifier, possibly empty, never null
 * @param will the Last Will, or null when the Will Flag is 0
 * @param username null when the User Name Flag is 0
 * @param password null when the Password Flag is 0
 * @param properties the MQTT 5 CONNECT properties; {@link Properties#EMPTY} below level 5
 */
public record Connect(
    String protocolName,
    int protocolLevel,
    boolean cleanSession,
    int keepAliveSeconds,
    String clientId,
    Will will,
    String username,
    byte[] password,
    Properties properties)
    implements Packet {

  /** A CONNECT without properties, as MQTT 3.1 and 3.1.1 send. */
  public Connect(
      String protocolName,
      int protocolLevel,
      boolean cleanSession,
      int keepAliveSeconds,
      String clientId,
      Will will,
      String username,
      byte[] password) {
    this(
        protocolName,
        protocolLevel,
        cleanSession,
        keepAliveSeconds,
        clientId,
        will,
        username,
        password,
        Properties.EMPTY);
  }

  public Connect {
    Objects.requireNonNull(properties, "properties");
  }

  /**
   * The Last Will carried by a CONNECT.
   *
   * @param properties the MQTT 5 Will Properties; {@link Properties#EMPTY} below level 5
   */
  public record Will(String topic, byte[] payload, int qos, boolean retain, Properties properties) {

    /** A Will without properties, as MQTT 3.1 and 3.1.1 send. */
    public Will(String topic, byte[] payload, int qos, boolean retain) {
      this(topic, payload, qos, retain, Properties.EMPTY);
    }

    public Will {
      Objects.requireNonNull(properties, "properties");
    }
  }

  @Override
  public int type() {
    return PacketType.CONNECT;
  }
}
