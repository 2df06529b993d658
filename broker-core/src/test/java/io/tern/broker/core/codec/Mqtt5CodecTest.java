package io.tern.broker.core.codec;

import static io.tern.broker.core.codec.Fixtures.buffer;
import static io.tern.broker.core.codec.Fixtures5.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.message.ReasonCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MQTT 5 packets against the annotated fixtures: decoded, encoded, and round trips. */
class Mqtt5CodecTest {
  private static final int MAX = 1 << 20;

  private static Packet decodeOne(MqttDecoder decoder, byte[] bytes) {
    ByteBuffer in = buffer(bytes);
    Packet packet = decoder.decode(in);
    assertThat(decoder.violation()).isNull();
    assertThat(in.remaining()).as("bytes left after the packet").isZero();
    return packet;
  }

  private static MqttDecoder clientDecoder() {
    return MqttDecoder.forClient(MAX, 5);
  }

  // ---- decoding, client to server ----

  @Test
  void decodesConnectWithPropertiesWillPropertiesAndCredentials() {
    MqttDecoder decoder = new MqttDecoder(MAX);
    assertThat(decoder.protocolLevel()).isEqualTo(4);
    assertThat(decodeOne(decoder, CONNECT)).usingRecursiveComparison().isEqualTo(CONNECT_PACKET);
    assertThat(decoder.protocolLevel()).isEqualTo(5);
  }

  @Test
  void decodesPublishWithPropertiesAndByTopicAlias() {
    MqttDecoder decoder = connectedDecoder();
    assertThat(decodeOne(decoder, PUBLISH_QOS1)).usingRecursiveComparison().isEqualTo(PUBLISH_QOS1_PACKET);
    Publish byAlias = (Publish) decodeOne(decoder, PUBLISH_BY_ALIAS);
    assertThat(byAlias).usingRecursiveComparison().isEqualTo(PUBLISH_BY_ALIAS_PACKET);
    assertThat(byAlias.topic()).isEmpty();
    assertThat(byAlias.properties().topicAlias()).isEqualTo(3);
  }

  @Test
  void decodesEachAcknowledgementForm() {
    MqttDecoder decoder = connectedDecoder();
    assertThat(decodeOne(decoder, PUBACK_SHORT)).isEqualTo(new PubAck(7));
    assertThat(decodeOne(decoder, PUBACK_CODE_ONLY)).isEqualTo(PUBACK_CODE_ONLY_PACKET);
    assertThat(decodeOne(decoder, PUBREC_WITH_REASON_STRING))
        .isEqualTo(PUBREC_WITH_REASON_STRING_PACKET);
    assertThat(decodeOne(decoder, PUBREL_NOT_FOUND)).isEqualTo(PUBREL_NOT_FOUND_PACKET);
    assertThat(decodeOne(decoder, PUBCOMP_EMPTY_PROPERTIES)).isEqualTo(new PubComp(10));
  }

  @Test
  void decodesSubscribeOptionsAndUnsubscribeProperties() {
    MqttDecoder decoder = connectedDecoder();
    Subscribe subscribe = (Subscribe) decodeOne(decoder, SUBSCRIBE);
    assertThat(subscribe).isEqualTo(SUBSCRIBE_PACKET);
    assertThat(subscribe.properties().subscriptionIdentifier()).isEqualTo(3);
    assertThat(decodeOne(decoder, UNSUBSCRIBE)).isEqualTo(UNSUBSCRIBE_PACKET);
  }

  @Test
  void decodesDisconnectForms() {
    MqttDecoder decoder = connectedDecoder();
    assertThat(decodeOne(decoder, DISCONNECT_SHORT)).isSameAs(Disconnect.INSTANCE);
    assertThat(decodeOne(connectedDecoder(), DISCONNECT_WITH_WILL)).isEqualTo(DISCONNECT_WITH_WILL_PACKET);
    assertThat(decodeOne(connectedDecoder(), bytes(0xE0, 1, 0x00))).isSameAs(Disconnect.INSTANCE);
    assertThat(decodeOne(connectedDecoder(), DISCONNECT_WITH_PROPERTIES))
        .isEqualTo(DISCONNECT_WITH_PROPERTIES_PACKET);
  }

  @Test
  void decodesAuthAndItsShortForm() {
    assertThat(decodeOne(connectedDecoder(), AUTH)).usingRecursiveComparison().isEqualTo(AUTH_PACKET);
    assertThat(decodeOne(connectedDecoder(), bytes(0xF0, 0)))
        .isEqualTo(new Auth(ReasonCode.SUCCESS, Properties.EMPTY));
  }

  // ---- decoding, server to client ----

  @Test
  void clientSideDecoderReadsServerPacketsOfLevel5() {
    MqttDecoder decoder = clientDecoder();
    assertThat(decoder.protocolLevel()).isEqualTo(5);
    ConnAck connAck = (ConnAck) decodeOne(decoder, CONNACK);
    assertThat(connAck).isEqualTo(CONNACK_PACKET);
    assertThat(connAck.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    assertThat(((ConnAck) decodeOne(decoder, CONNACK_UNSUPPORTED_VERSION)).reasonCode())
        .isEqualTo(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
    SubAck subAck = (SubAck) decodeOne(decoder, SUBACK);
    assertThat(subAck).usingRecursiveComparison().isEqualTo(SUBACK_PACKET);
    assertThat(subAck.reasonCodes())
        .containsExactly(ReasonCode.GRANTED_QOS_1, ReasonCode.TOPIC_FILTER_INVALID);
    assertThat(decodeOne(decoder, UNSUBACK)).isEqualTo(UNSUBACK_PACKET);
    assertThat(decodeOne(decoder, DISCONNECT_TAKEN_OVER)).isEqualTo(DISCONNECT_TAKEN_OVER_PACKET);
    assertThat(decodeOne(decoder, AUTH)).usingRecursiveComparison().isEqualTo(AUTH_PACKET);
    assertThat(decodeOne(decoder, Fixtures.PINGRESP)).isSameAs(PingResp.INSTANCE);
  }

  @Test
  void clientSideDecoderAcceptsSeveralSubscriptionIdentifiersInPublish() {
    byte[] bytes =
        bytes(
            0x30, 9, //                      PUBLISH QoS 0, remaining length 9
            0x00, 0x01, "t", //              topic name "t"
            0x04, 0x0B, 0x01, 0x0B, 0x02, // properties: subscription identifiers 1 and 2
            "z"); //                         payload
    Publish publish = (Publish) decodeOne(clientDecoder(), bytes);
    assertThat(publish.properties().subscriptionIdentifiers()).containsExactly(1, 2);
  }

  // ---- encoding ----

  @Test
  void encodesClientPackets() {
    assertThat(encode(CONNECT_PACKET)).containsExactly(CONNECT);
    assertThat(encode(PUBLISH_QOS1_PACKET)).containsExactly(PUBLISH_QOS1);
    assertThat(encode(PUBLISH_BY_ALIAS_PACKET)).containsExactly(PUBLISH_BY_ALIAS);
    assertThat(encode(SUBSCRIBE_PACKET)).containsExactly(SUBSCRIBE);
    assertThat(encode(UNSUBSCRIBE_PACKET)).containsExactly(UNSUBSCRIBE);
    assertThat(encode(AUTH_PACKET)).containsExactly(AUTH);
  }

  @Test
  void encodesAcknowledgementsInTheirShortestForm() {
    assertThat(encode(new PubAck(7))).containsExactly(PUBACK_SHORT);
    assertThat(encode(PUBACK_CODE_ONLY_PACKET)).containsExactly(PUBACK_CODE_ONLY);
    assertThat(encode(PUBREC_WITH_REASON_STRING_PACKET)).containsExactly(PUBREC_WITH_REASON_STRING);
    assertThat(encode(PUBREL_NOT_FOUND_PACKET)).containsExactly(PUBREL_NOT_FOUND);
    assertThat(encode(new PubComp(10))).containsExactly(0x70, 2, 0x00, 0x0A);
    assertThat(encode(Disconnect.INSTANCE)).containsExactly(DISCONNECT_SHORT);
    assertThat(encode(DISCONNECT_WITH_WILL_PACKET)).containsExactly(DISCONNECT_WITH_WILL);
    assertThat(encode(new Auth(ReasonCode.SUCCESS, Properties.EMPTY))).containsExactly(0xF0, 0);
  }

  @Test
  void encodesServerPackets() {
    assertThat(encode(CONNACK_PACKET)).containsExactly(CONNACK);
    assertThat(encode(new ConnAck(false, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, Properties.EMPTY)))
        .containsExactly(CONNACK_UNSUPPORTED_VERSION);
    assertThat(encode(SUBACK_PACKET)).containsExactly(SUBACK);
    assertThat(encode(UNSUBACK_PACKET)).containsExactly(UNSUBACK);
    assertThat(encode(DISCONNECT_TAKEN_OVER_PACKET)).containsExactly(DISCONNECT_TAKEN_OVER);
    assertThat(encode(PingResp.INSTANCE)).containsExactly(Fixtures.PINGRESP);
  }

  @Test
  void level4EncodingLeavesOutWhatOnlyMqtt5CanSay() {
    assertThat(Fixtures.encode(PUBREC_WITH_REASON_STRING_PACKET)).containsExactly(0x50, 2, 0x00, 0x08);
    assertThat(Fixtures.encode(DISCONNECT_TAKEN_OVER_PACKET)).containsExactly(0xE0, 0);
    assertThat(Fixtures.encode(UNSUBACK_PACKET)).containsExactly(0xB0, 2, 0x00, 0x0B);
    ByteBuffer out = ByteBuffer.allocate(64);
    MqttEncoder.write(Fixtures.SUBSCRIBE_PACKET, 4, out);
    assertThat(java.util.Arrays.copyOf(out.array(), out.position())).containsExactly(Fixtures.SUBSCRIBE);
    assertThatThrownBy(() -> MqttEncoder.size(AUTH_PACKET)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAnMqtt5UnsubackWithoutReasonCodes() {
    assertThatThrownBy(() -> MqttEncoder.size(new UnsubAck(3), 5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writePublishWithPropertiesMatchesTheRecordEncoding() {
    byte[] topic = "a/b".getBytes(StandardCharsets.UTF_8);
    Properties properties = PUBLISH_QOS1_PACKET.properties();
    ByteBuffer out = ByteBuffer.allocate(MqttEncoder.publishSize(topic, 1, 2, properties));
    MqttEncoder.writePublish(out, topic, Fixtures.ascii("hi"), 1, false, false, 7, properties);
    assertThat(out.hasRemaining()).isFalse();
    assertThat(out.array()).containsExactly(PUBLISH_QOS1);
  }

  // ---- round trips ----

  @Test
  void clientPacketsSurviveEncodingAndDecoding() {
    List<Packet> packets =
        List.of(
            CONNECT_PACKET,
            PUBLISH_QOS1_PACKET,
            PUBLISH_BY_ALIAS_PACKET,
            new Publish(
                "x/y",
                2,
                true,
                true,
                65535,
                new byte[300],
                Properties.builder()
                    .payloadFormatIndicator(0)
                    .contentType("application/json")
                    .responseTopic("reply/to")
                    .correlationData(new byte[] {1, 2, 3})
                    .userProperty("a", "1")
                    .userProperty("a", "2")
                    .build()),
            new PubAck(1),
            PUBACK_CODE_ONLY_PACKET,
            PUBREC_WITH_REASON_STRING_PACKET,
            PUBREL_NOT_FOUND_PACKET,
            new PubComp(4, ReasonCode.SUCCESS, Properties.builder().userProperty("u", "v").build()),
            SUBSCRIBE_PACKET,
            new Subscribe(5, List.of(new Subscribe.Request("$share/g/a", 0))),
            UNSUBSCRIBE_PACKET,
            PingReq.INSTANCE,
            AUTH_PACKET,
            DISCONNECT_WITH_PROPERTIES_PACKET);
    assertThat(roundTrip(new MqttDecoder(MAX), packets))
        .usingRecursiveFieldByFieldElementComparator()
        .containsExactlyElementsOf(packets);
  }

  @Test
  void serverPacketsSurviveEncodingAndDecoding() {
    List<Packet> packets =
        List.of(
            CONNACK_PACKET,
            new ConnAck(
                true,
                ReasonCode.SUCCESS,
                Properties.builder()
                    .sessionExpiryInterval(0xFFFF_FFFFL)
                    .serverKeepAlive(20)
                    .authenticationMethod("m")
                    .authenticationData(new byte[] {9})
                    .responseInformation("resp/")
                    .serverReference("other")
                    .reasonString("welcome")
                    .topicAliasMaximum(8)
                    .maximumQos(1)
                    .retainAvailable(false)
                    .maximumPacketSize(1 << 20)
                    .wildcardSubscriptionAvailable(true)
                    .subscriptionIdentifierAvailable(false)
                    .sharedSubscriptionAvailable(true)
                    .build()),
            new Publish(
                "t",
                0,
                false,
                false,
                0,
                new byte[0],
                Properties.builder().subscriptionIdentifier(268_435_455).subscriptionIdentifier(1).build()),
            SUBACK_PACKET,
            UNSUBACK_PACKET,
            PingResp.INSTANCE,
            DISCONNECT_TAKEN_OVER_PACKET,
            AUTH_PACKET);
    assertThat(roundTrip(MqttDecoder.forClient(MAX, 5), packets))
        .usingRecursiveFieldByFieldElementComparator()
        .containsExactlyElementsOf(packets);
  }

  /** Encodes the packets at level 5 into one buffer, after a level 5 CONNECT for a server side. */
  private static List<Packet> roundTrip(MqttDecoder decoder, List<Packet> packets) {
    int total = packets.stream().mapToInt(p -> MqttEncoder.size(p, 5)).sum();
    ByteBuffer buffer = ByteBuffer.allocate(total);
    for (Packet packet : packets) {
      MqttEncoder.write(packet, 5, buffer);
    }
    buffer.flip();
    List<Packet> decoded = new ArrayList<>();
    Packet packet;
    while ((packet = decoder.decode(buffer)) != null) {
      decoded.add(packet);
    }
    assertThat(decoder.violation()).isNull();
    assertThat(buffer.hasRemaining()).isFalse();
    return decoded;
  }

  private static byte[] bytes(Object... parts) {
    return Fixtures.bytes(parts);
  }
}
