package io.tern.broker.core.codec;

/**
 * CONNECT. {@code protocolLevel} is 3 for MQTT 3.1 ("MQIsdp") and 4 for MQTT 3.1.1 ("MQTT").
 *
 * @param clientId the client identifier, possibly empty, never null
 * @param will the Last Will, or null when the Will Flag is 0
 * @param username null when the User Name Flag is 0
 * @param password null when the Password Flag is 0
 */
public record Connect(
    String protocolName,
    int protocolLevel,
    boolean cleanSession,
    int keepAliveSeconds,
    String clientId,
    Will will,
    String username,
    byte[] password)
    implements Packet {

  /** The Last Will carried by a CONNECT. */
  public record Will(String topic, byte[] payload, int qos, boolean retain) {}

  @Override
  public int type() {
    return PacketType.CONNECT;
  }
}
