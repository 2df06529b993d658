package io.tern.broker.core.codec;

/**
 * Reads the variable header and payload of a CONNECT (section 3.1).
 *
 * <p>Level 5 is read by the MQTT 5 rules, with its CONNECT and Will property blocks. Other levels
 * than 3, 4 and 5 are still decoded as 3.1.1, so that the protocol layer can answer CONNACK 0x01
 * (unacceptable protocol version) instead of dropping the connection.
 */
final class ConnectBody {
  static final String MQTT_311_NAME = "MQTT";
  static final String MQTT_31_NAME = "MQIsdp";
  static final int MQTT_5_LEVEL = 5;

  private static final int RESERVED = 0x01;
  private static final int CLEAN_SESSION = 0x02;
  private static final int WILL = 0x04;
  private static final int WILL_QOS_SHIFT = 3;
  private static final int WILL_RETAIN = 0x20;
  private static final int PASSWORD = 0x40;
  private static final int USERNAME = 0x80;

  private ConnectBody() {}

  static Connect read(BodyReader body) {
    String protocolName = body.readString();
    if (!MQTT_311_NAME.equals(protocolName) && !MQTT_31_NAME.equals(protocolName)) {
      throw new Malformed("MQTT-3.1.2-1", "unknown protocol name");
    }
    int level = body.readByte();
    boolean v5 = level == MQTT_5_LEVEL;
    // "MQIsdp" belongs to MQTT 3.1 alone: MQTT 5 names itself "MQTT".
    if (v5 && !MQTT_311_NAME.equals(protocolName)) {
      throw new Malformed("MQTT-3.1.2-1", "protocol name " + protocolName + " with protocol level 5");
    }

    int flags = body.readByte();
    if ((flags & RESERVED) != 0) {
      throw new Malformed("MQTT-3.1.2-3", "reserved connect flag is set");
    }
    boolean willFlag = (flags & WILL) != 0;
    int willQos = (flags >> WILL_QOS_SHIFT) & 0x03;
    boolean willRetain = (flags & WILL_RETAIN) != 0;
    boolean hasUsername = (flags & USERNAME) != 0;
    boolean hasPassword = (flags & PASSWORD) != 0;
    if (!willFlag && willQos != 0) {
      throw new Malformed("MQTT-3.1.2-13", "will QoS set without will flag");
    }
    if (!willFlag && willRetain) {
      throw new Malformed("MQTT-3.1.2-15", "will retain set without will flag");
    }
    if (willQos == 3) {
      throw new Malformed("MQTT-3.1.2-14", "will QoS 3");
    }
    // MQTT 5 allows a password without a user name.
    if (!hasUsername && hasPassword && !v5) {
      throw new Malformed("MQTT-3.1.2-22", "password flag set without user name flag");
    }

    int keepAlive = body.readUnsignedShort();
    Properties properties = v5 ? PropertiesReader.read(body, PacketType.CONNECT) : Properties.EMPTY;

    String clientId = body.readString();
    Connect.Will will = null;
    if (willFlag) {
      Properties willProperties =
          v5 ? PropertiesReader.read(body, PropertyId.WillContext.ID) : Properties.EMPTY;
      String topic = body.readString();
      String problem = TopicSyntax.nameProblem(topic);
      if (problem != null) {
        throw new Malformed(problem, "invalid will topic");
      }
      will = new Connect.Will(topic, body.readBinary(), willQos, willRetain, willProperties);
    }
    String username = hasUsername ? body.readString() : null;
    byte[] password = hasPassword ? body.readBinary() : null;
    return new Connect(
        protocolName,
        level,
        (flags & CLEAN_SESSION) != 0,
        keepAlive,
        clientId,
        will,
        username,
        password,
        properties);
  }
}
