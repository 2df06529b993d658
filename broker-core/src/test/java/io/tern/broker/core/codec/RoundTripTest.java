package io.tern.broker.core.codec;

import static io.tern.broker.core.codec.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every packet type encoded and decoded back: client packets through a server-side decoder, server
 * packets through {@link MqttDecoder#forClient}.
 */
class RoundTripTest {
  private static final int MAX = 1 << 16;

  private static final List<Packet> CLIENT_PACKETS =
      List.of(
          CONNECT_311_FULL_PACKET,
          PUBLISH_QOS0_PACKET,
          PUBLISH_QOS1_DUP_RETAIN_PACKET,
          PUBLISH_QOS2_EMPTY_PAYLOAD_PACKET,
          new Publish("\u00e9t\u00e9/\ud83d\ude00", 1, false, false, 65535, new byte[300]),
          new PubAck(1),
          new PubRec(2),
          new PubRel(3),
          new PubComp(4),
          SUBSCRIBE_PACKET,
          new Subscribe(5, List.of(new Subscribe.Request("#", 0))),
          UNSUBSCRIBE_PACKET,
          PingReq.INSTANCE,
          Disconnect.INSTANCE);

  private static final List<Packet> SERVER_PACKETS =
      List.of(
          new ConnAck(true, ConnAck.ACCEPTED),
          new ConnAck(false, ConnAck.NOT_AUTHORIZED),
          PUBLISH_QOS1_DUP_RETAIN_PACKET,
          new PubAck(1),
          new PubRec(2),
          new PubRel(3),
          new PubComp(4),
          SUBACK_PACKET,
          new UnsubAck(6),
          PingResp.INSTANCE,
          Disconnect.INSTANCE);

  @Test
  void clientPacketsSurviveEncodingAndDecoding() {
    assertThat(roundTrip(new MqttDecoder(MAX), CLIENT_PACKETS))
        .usingRecursiveFieldByFieldElementComparator()
        .containsExactlyElementsOf(CLIENT_PACKETS);
  }

  @Test
  void connectsOfEachLevelSurviveEncodingAndDecoding() {
    for (Connect connect :
        List.of(CONNECT_311_MINIMAL_PACKET, CONNECT_311_FULL_PACKET, CONNECT_31_PACKET, CONNECT_5_PACKET)) {
      assertThat(roundTrip(new MqttDecoder(MAX), List.of(connect)))
          .usingRecursiveFieldByFieldElementComparator()
          .containsExactly(connect);
    }
  }

  @Test
  void serverPacketsSurviveEncodingAndDecoding() {
    assertThat(roundTrip(MqttDecoder.forClient(MAX), SERVER_PACKETS))
        .usingRecursiveFieldByFieldElementComparator()
        .containsExactlyElementsOf(SERVER_PACKETS);
  }

  @Test
  void clientSideDecoderRefusesPacketsOnlyAClientSends() {
    for (byte[] bytes : List.of(CONNECT_311_MINIMAL, SUBSCRIBE, UNSUBSCRIBE, PINGREQ)) {
      MqttDecoder decoder = MqttDecoder.forClient(MAX);
      assertThat(decoder.decode(buffer(bytes))).isNull();
      assertThat(decoder.violation().specId()).isEqualTo("forbidden-packet-type");
    }
  }

  /** Encodes all packets into one buffer and decodes them back in order. */
  private static List<Packet> roundTrip(MqttDecoder decoder, List<Packet> packets) {
    int total = packets.stream().mapToInt(MqttEncoder::size).sum();
    ByteBuffer buffer = ByteBuffer.allocate(total);
    for (Packet packet : packets) {
      int before = buffer.position();
      MqttEncoder.write(packet, buffer);
      assertThat(buffer.position() - before).as("size of %s", packet).isEqualTo(MqttEncoder.size(packet));
    }
    buffer.flip();
    List<Packet> decoded = new java.util.ArrayList<>();
    Packet packet;
    while ((packet = decoder.decode(buffer)) != null) {
      decoded.add(packet);
    }
    assertThat(decoder.violation()).isNull();
    assertThat(buffer.hasRemaining()).isFalse();
    return decoded;
  }
}
