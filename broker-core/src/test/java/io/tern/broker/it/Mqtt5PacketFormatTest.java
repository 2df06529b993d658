package io.tern.broker.it;

import static io.tern.broker.it.ConnectPackets.bytes;
import static io.tern.broker.it.ConnectPackets.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.PacketType;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.Subscribe;
import io.tern.broker.core.codec.Unsubscribe;
import io.tern.broker.message.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bytes of the MQTT 5 packets the broker sends, read off the socket without a decoder in
 * between: fixed-header flags, packet identifiers only where they belong, a Property Length even
 * when there are no properties, Variable Byte Integers in their shortest form; and the reserved
 * fixed-header flags it enforces on what clients send.
 */
@Timeout(30)
class Mqtt5PacketFormatTest extends Mqtt5BrokerTest {

  private static Connect connect(String clientId, boolean cleanStart, Properties properties) {
    return new Connect("MQTT", 5, cleanStart, 0, clientId, null, null, null, properties);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void packetsWithoutPropertiesCarryAPropertyLengthOf0AndQos0HasNoPacketIdentifier_MQTT_2_2_2_1_MQTT_2_2_1_2_MQTT_4_3_1_1()
      throws Exception {
    try (RawClient client = new RawClient(broker)) {
      client.send5(connect("format", true, Properties.EMPTY));
      assertThat(client.read().type()).isEqualTo(PacketType.CONNACK);

      client.send5(new Subscribe(0x0102, List.of(new Subscribe.Request("fmt/#", 1)), Properties.EMPTY));
      RawClient.Frame subAck = client.read();
      assertThat(subAck.type()).isEqualTo(PacketType.SUBACK);
      assertThat(subAck.body()).containsExactly(0x01, 0x02, 0x00, 0x01); // packet id, no properties, QoS 1

      RawMqtt5Client publisher = rawMqtt5("format-pub");
      publisher.publish("fmt/a", 0, 0, "hi");
      RawClient.Frame qos0 = client.read();
      assertThat(qos0.type()).isEqualTo(PacketType.PUBLISH);
      assertThat(qos0.flags()).as("QoS 0, DUP 0, RETAIN 0").isZero();
      // topic, no packet identifier, Property Length 0, payload
      assertThat(qos0.body()).containsExactly(concat(bytes(0, 5), utf8("fmt/a"), bytes(0), utf8("hi")));

      publisher.publish("fmt/a", 1, 1, "hi");
      RawClient.Frame qos1 = client.read();
      assertThat(qos1.flags()).as("QoS 1, DUP 0, RETAIN 0").isEqualTo(0b0010);
      int id = qos1.publishPacketId();
      assertThat(id).isNotZero();
      assertThat(qos1.body()).containsExactly(concat(bytes(0, 5), utf8("fmt/a"), bytes(id >> 8, id & 0xFF, 0),
          utf8("hi")));
      client.send(bytes(0x40, 2, id >> 8, id & 0xFF)); // PUBACK, success, in its shortest form

      client.send5(new Unsubscribe(3, List.of("fmt/#"), Properties.EMPTY));
      RawClient.Frame unsubAck = client.read();
      assertThat(unsubAck.type()).isEqualTo(PacketType.UNSUBACK);
      assertThat(unsubAck.body()).containsExactly(0x00, 0x03, 0x00, 0x00); // packet id, no properties, success
    }
  }

  @Test
  void connackFlagBits7To1AreZero_MQTT_3_2_2_1() throws Exception {
    Properties persistent = Properties.builder().sessionExpiryInterval(60).build();
    for (boolean sessionPresent : List.of(false, true)) {
      try (RawClient client = new RawClient(broker)) {
        client.send5(connect("flags", false, persistent));
        RawClient.Frame connAck = client.read();
        assertThat(connAck.type()).isEqualTo(PacketType.CONNACK);
        assertThat(connAck.body()[0]).as("Connect Acknowledge Flags").isEqualTo((byte) (sessionPresent ? 1 : 0));
        client.send(bytes(0xE0, 0)); // DISCONNECT, so that the next connection finds the session
      }
      await("session stored").until(() -> broker.admin().session("flags").toCompletableFuture().join()
          .map(s -> !s.connected()).orElse(false));
    }
  }

  @Test
  void variableByteIntegersAreWrittenInTheirShortestForm_MQTT_1_5_5_1() throws Exception {
    int[] identifiers = {1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455};
    byte[][] encoded = {bytes(0x01), bytes(0x7F), bytes(0x80, 0x01), bytes(0xFF, 0x7F), bytes(0x80, 0x80, 0x01),
        bytes(0xFF, 0xFF, 0x7F), bytes(0x80, 0x80, 0x80, 0x01), bytes(0xFF, 0xFF, 0xFF, 0x7F)};
    try (RawClient client = new RawClient(broker)) {
      client.send5(connect("vbi", true, Properties.EMPTY));
      client.read();
      for (int i = 0; i < identifiers.length; i++) {
        client.send5(new Subscribe(i + 1, List.of(new Subscribe.Request("vbi/" + i, 0)),
            Properties.builder().subscriptionIdentifier(identifiers[i]).build()));
        client.read();
      }
      RawMqtt5Client publisher = rawMqtt5("vbi-pub");
      for (int i = 0; i < identifiers.length; i++) {
        publisher.publish("vbi/" + i, 0, 0, "");
        RawClient.Frame publish = client.read();
        byte[] topic = concat(bytes(0, 5), utf8("vbi/" + i));
        // Property Length, then Subscription Identifier (0x0B) and its value
        byte[] properties = concat(bytes(1 + encoded[i].length, 0x0B), encoded[i]);
        assertThat(publish.body()).as("identifier %d", identifiers[i]).containsExactly(concat(topic, properties));
      }
    }
  }

  static Stream<Object[]> reservedFlags() {
    return Stream.of(
        new Object[] {"SUBSCRIBE with flags 0000 [MQTT-3.8.1-1]", bytes(0x80, 6, 0, 1, 0, 0, 1, 'a', 0)},
        new Object[] {"SUBSCRIBE with flags 0011 [MQTT-3.8.1-1]", bytes(0x83, 6, 0, 1, 0, 0, 1, 'a', 0)},
        new Object[] {"SUBSCRIBE with flags 1010 [MQTT-3.8.1-1]", bytes(0x8A, 6, 0, 1, 0, 0, 1, 'a', 0)},
        new Object[] {"UNSUBSCRIBE with flags 0000 [MQTT-3.10.1-1]", bytes(0xA0, 5, 0, 1, 0, 0, 1, 'a')},
        new Object[] {"UNSUBSCRIBE with flags 0110 [MQTT-3.10.1-1]", bytes(0xA6, 5, 0, 1, 0, 0, 1, 'a')},
        new Object[] {"DISCONNECT with flags 0001 [MQTT-3.14.1-1]", bytes(0xE1, 0)},
        new Object[] {"DISCONNECT with flags 1000 and a reason code [MQTT-3.14.1-1]", bytes(0xE8, 1, 0x00)});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reservedFlags")
  void reservedFixedHeaderFlagsAreMalformedAndAnsweredWithDisconnect0x81(String description, byte[] bytes)
      throws Exception {
    Mqtt5StringAndTopicTest.assertDisconnectedFor(broker, bytes, ReasonCode.MALFORMED_PACKET);
  }
}
