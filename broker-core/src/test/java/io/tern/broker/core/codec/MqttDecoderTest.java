package io.tern.broker.core.codec;

import static io.tern.broker.core.codec.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoding of well-formed client-to-server packets, whole and in pieces. */
class MqttDecoderTest {
  private static final int MAX = 1 << 20;

  /** A decoder that has accepted a CONNECT and so takes any client packet. */
  static MqttDecoder connectedDecoder() {
    MqttDecoder decoder = new MqttDecoder(MAX);
    assertThat(decoder.decode(buffer(CONNECT_311_MINIMAL))).isNotNull();
    return decoder;
  }

  /** Decodes {@code bytes}, which must be exactly one well-formed packet. */
  static Packet decodeOne(MqttDecoder decoder, byte[] bytes) {
    ByteBuffer in = buffer(bytes);
    Packet packet = decoder.decode(in);
    assertThat(decoder.violation()).isNull();
    assertThat(in.remaining()).as("bytes left after the packet").isZero();
    return packet;
  }

  @Test
  void decodesMinimalConnect311() {
    Packet packet = decodeOne(new MqttDecoder(MAX), CONNECT_311_MINIMAL);
    assertThat(packet).isEqualTo(CONNECT_311_MINIMAL_PACKET);
  }

  @Test
  void decodesConnectWithWillUserNameAndPassword() {
    Connect connect = (Connect) decodeOne(new MqttDecoder(MAX), CONNECT_311_FULL);
    assertThat(connect).usingRecursiveComparison().isEqualTo(CONNECT_311_FULL_PACKET);
    assertThat(connect.will().payload()).containsExactly('b', 'y', 'e');
    assertThat(connect.password()).containsExactly('p', 'w');
  }

  @Test
  void decodesMqtt31Connect() {
    assertThat(decodeOne(new MqttDecoder(MAX), CONNECT_31)).isEqualTo(CONNECT_31_PACKET);
  }

  @Test
  void decodesMqtt5ConnectWithItsPropertiesAndWillProperties() {
    Connect connect = (Connect) decodeOne(new MqttDecoder(MAX), CONNECT_5_WITH_PROPERTIES);
    assertThat(connect).usingRecursiveComparison().isEqualTo(CONNECT_5_WITH_PROPERTIES_PACKET);
    assertThat(connect.properties().sessionExpiryInterval()).isEqualTo(10L);
    assertThat(connect.will().properties().payloadFormatIndicator()).isEqualTo(1);
  }

  @Test
  void decodesMqtt5ConnectWithPasswordButNoUserName() {
    byte[] bytes =
        bytes(
            0x10, 18, //                    CONNECT, remaining length 18
            0x00, 0x04, "MQTT", //          protocol name
            0x05, //                        protocol level 5
            0x40, //                        flags: password only, allowed in MQTT 5
            0x00, 0x00, //                  keep alive 0
            0x00, //                        properties: none
            0x00, 0x01, "c", //             client id
            0x00, 0x02, "pw"); //           password
    Connect connect = (Connect) decodeOne(new MqttDecoder(MAX), bytes);
    assertThat(connect.protocolLevel()).isEqualTo(5);
    assertThat(connect.username()).isNull();
    assertThat(connect.password()).containsExactly('p', 'w');
  }

  @Test
  void decodesConnectWithUnknownLevelSoTheProtocolLayerCanRefuseIt() {
    byte[] bytes = CONNECT_311_MINIMAL.clone();
    bytes[8] = 0x07; // protocol level 7
    Connect connect = (Connect) decodeOne(new MqttDecoder(MAX), bytes);
    assertThat(connect.protocolLevel()).isEqualTo(7);
    assertThat(connect.clientId()).isEqualTo("c1");
  }

  @Test
  void acceptsEmptyClientIdForTheProtocolLayerToJudge() {
    byte[] bytes =
        bytes(
            0x10, 12, //                    CONNECT, remaining length 12
            0x00, 0x04, "MQTT", 0x04, //    protocol name, level 4
            0x02, 0x00, 0x00, //            clean session, keep alive 0
            0x00, 0x00); //                 client id: empty
    assertThat(((Connect) decodeOne(new MqttDecoder(MAX), bytes)).clientId()).isEmpty();
  }

  @Test
  void decodesMultiByteUtf8ClientId() {
    byte[] bytes =
        bytes(
            0x10, 18, //                    CONNECT, remaining length 18
            0x00, 0x04, "MQTT", 0x04, //    protocol name, level 4
            0x02, 0x00, 0x00, //            clean session, keep alive 0
            0x00, 0x06, 0xC3, 0xA9, //      client id, 6 bytes: U+00E9 (2 bytes)
            0xF0, 0x9F, 0x98, 0x80); //     U+1F600 (4 bytes, a surrogate pair in Java)
    assertThat(((Connect) decodeOne(new MqttDecoder(MAX), bytes)).clientId())
        .isEqualTo("\u00e9\ud83d\ude00");
  }

  @Test
  void decodesPublishAtEachQos() {
    MqttDecoder decoder = connectedDecoder();
    assertThat(decodeOne(decoder, PUBLISH_QOS0))
        .usingRecursiveComparison()
        .isEqualTo(PUBLISH_QOS0_PACKET);
    assertThat(decodeOne(decoder, PUBLISH_QOS1_DUP_RETAIN))
        .usingRecursiveComparison()
        .isEqualTo(PUBLISH_QOS1_DUP_RETAIN_PACKET);
    assertThat(decodeOne(decoder, PUBLISH_QOS2_EMPTY_PAYLOAD))
        .usingRecursiveComparison()
        .isEqualTo(PUBLISH_QOS2_EMPTY_PAYLOAD_PACKET);
  }

  @Test
  void decodesAcknowledgements() {
    MqttDecoder decoder = connectedDecoder();
    assertThat(decodeOne(decoder, PUBACK)).isEqualTo(new PubAck(7));
    assertThat(decodeOne(decoder, PUBREC)).isEqualTo(new PubRec(7));
    assertThat(decodeOne(decoder, PUBREL)).isEqualTo(new PubRel(7));
    assertThat(decodeOne(decoder, PUBCOMP)).isEqualTo(new PubComp(65535));
  }

  @Test
  void decodesSubscribeAndUnsubscribe() {
    MqttDecoder decoder = connectedDecoder();
    assertThat(decodeOne(decoder, SUBSCRIBE)).isEqualTo(SUBSCRIBE_PACKET);
    assertThat(decodeOne(decoder, UNSUBSCRIBE)).isEqualTo(UNSUBSCRIBE_PACKET);
  }

  @Test
  void decodesPingreqAndDisconnect() {
    MqttDecoder decoder = connectedDecoder();
    assertThat(decodeOne(decoder, PINGREQ)).isSameAs(PingReq.INSTANCE);
    assertThat(decodeOne(decoder, DISCONNECT)).isSameAs(Disconnect.INSTANCE);
  }

  @Test
  void decodesTwoPacketsFromOneBuffer() {
    MqttDecoder decoder = new MqttDecoder(MAX);
    ByteBuffer in = buffer(bytes(CONNECT_311_MINIMAL, PUBACK, 0x30)); // + first byte of a PUBLISH

    assertThat(decoder.decode(in)).isEqualTo(CONNECT_311_MINIMAL_PACKET);
    assertThat(in.position()).isEqualTo(CONNECT_311_MINIMAL.length);
    assertThat(decoder.decode(in)).isEqualTo(new PubAck(7));
    assertThat(in.position()).isEqualTo(CONNECT_311_MINIMAL.length + PUBACK.length);
    assertThat(decoder.decode(in)).isNull();
    assertThat(in.position()).isEqualTo(CONNECT_311_MINIMAL.length + PUBACK.length);
    assertThat(decoder.violation()).isNull();
  }

  @Test
  void decodesFromANonZeroPositionWithoutReadingPastTheLimit() {
    MqttDecoder decoder = new MqttDecoder(MAX);
    byte[] framed = bytes(0xFF, 0xFF, CONNECT_311_MINIMAL, 0xFF); // garbage on both sides
    ByteBuffer in = ByteBuffer.wrap(framed, 2, CONNECT_311_MINIMAL.length);
    assertThat(decoder.decode(in)).isEqualTo(CONNECT_311_MINIMAL_PACKET);
    assertThat(in.position()).isEqualTo(2 + CONNECT_311_MINIMAL.length);
    assertThat(in.limit()).isEqualTo(2 + CONNECT_311_MINIMAL.length);
  }

  @Test
  void decodesEveryClientPacketWhenBytesArriveOneAtATime() {
    byte[] stream =
        bytes(
            CONNECT_311_FULL,
            PUBLISH_QOS0,
            PUBLISH_QOS1_DUP_RETAIN,
            PUBLISH_QOS2_EMPTY_PAYLOAD,
            PUBACK,
            PUBREC,
            PUBREL,
            PUBCOMP,
            SUBSCRIBE,
            UNSUBSCRIBE,
            PINGREQ,
            DISCONNECT);
    MqttDecoder decoder = new MqttDecoder(MAX);
    ByteBuffer in = ByteBuffer.allocate(stream.length);
    List<Packet> decoded = new ArrayList<>();
    for (byte b : stream) {
      in.put(b).flip();
      while (true) {
        int before = in.position();
        Packet packet = decoder.decode(in);
        if (packet == null) {
          assertThat(in.position()).as("position after null").isEqualTo(before);
          break;
        }
        decoded.add(packet);
      }
      assertThat(decoder.violation()).isNull();
      in.compact();
    }

    assertThat(in.position()).as("bytes left undecoded").isZero();
    assertThat(decoded)
        .usingRecursiveFieldByFieldElementComparator()
        .containsExactly(
            CONNECT_311_FULL_PACKET,
            PUBLISH_QOS0_PACKET,
            PUBLISH_QOS1_DUP_RETAIN_PACKET,
            PUBLISH_QOS2_EMPTY_PAYLOAD_PACKET,
            new PubAck(7),
            new PubRec(7),
            new PubRel(7),
            new PubComp(65535),
            SUBSCRIBE_PACKET,
            UNSUBSCRIBE_PACKET,
            PingReq.INSTANCE,
            Disconnect.INSTANCE);
  }

  @Test
  void waitsForAMultiByteRemainingLength() {
    MqttDecoder decoder = connectedDecoder();
    ByteBuffer in = buffer(bytes(0x30, 0x80)); // PUBLISH, remaining length continues
    assertThat(decoder.decode(in)).isNull();
    assertThat(in.position()).isZero();
    assertThat(decoder.violation()).isNull();
  }

  @Test
  void acceptsAPacketOfExactlyTheMaximumSize() {
    MqttDecoder decoder = new MqttDecoder(CONNECT_311_MINIMAL.length);
    assertThat(decoder.decode(buffer(CONNECT_311_MINIMAL))).isEqualTo(CONNECT_311_MINIMAL_PACKET);
  }
}
