package io.tern.broker.core.codec;

import static io.tern.broker.core.codec.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Encoding against the annotated wire fixtures; {@link Fixtures#encode} also checks size(). */
class MqttEncoderTest {

  @Test
  void encodesConnack() {
    assertThat(encode(new ConnAck(true, ConnAck.ACCEPTED))).containsExactly(CONNACK_SESSION_PRESENT);
    assertThat(encode(new ConnAck(false, ConnAck.UNACCEPTABLE_PROTOCOL_VERSION)))
        .containsExactly(CONNACK_REFUSED_VERSION);
  }

  @Test
  void encodesAcknowledgements() {
    assertThat(encode(new PubAck(7))).containsExactly(PUBACK);
    assertThat(encode(new PubRec(7))).containsExactly(PUBREC);
    assertThat(encode(new PubRel(7))).containsExactly(PUBREL);
    assertThat(encode(new PubComp(65535))).containsExactly(PUBCOMP);
    assertThat(encode(new UnsubAck(11))).containsExactly(UNSUBACK);
  }

  @Test
  void encodesSuback() {
    assertThat(encode(SUBACK_PACKET)).containsExactly(SUBACK);
  }

  @Test
  void encodesFixedHeaderOnlyPackets() {
    assertThat(encode(PingResp.INSTANCE)).containsExactly(PINGRESP);
    assertThat(encode(PingReq.INSTANCE)).containsExactly(PINGREQ);
    assertThat(encode(Disconnect.INSTANCE)).containsExactly(DISCONNECT);
  }

  @Test
  void encodesPublishRecords() {
    assertThat(encode(PUBLISH_QOS0_PACKET)).containsExactly(PUBLISH_QOS0);
    assertThat(encode(PUBLISH_QOS1_DUP_RETAIN_PACKET)).containsExactly(PUBLISH_QOS1_DUP_RETAIN);
    assertThat(encode(PUBLISH_QOS2_EMPTY_PAYLOAD_PACKET))
        .containsExactly(PUBLISH_QOS2_EMPTY_PAYLOAD);
  }

  @Test
  void writePublishMatchesTheRecordEncoding() {
    assertThat(outboundPublish("a/b", ascii("hi"), 0, false, false, 99)).containsExactly(PUBLISH_QOS0);
    assertThat(outboundPublish("a/b", ascii("hi"), 1, true, true, 7))
        .containsExactly(PUBLISH_QOS1_DUP_RETAIN);
    assertThat(outboundPublish("a/b", new byte[0], 2, false, false, 258))
        .containsExactly(PUBLISH_QOS2_EMPTY_PAYLOAD);
  }

  @Test
  void encodesClientPackets() {
    assertThat(encode(CONNECT_311_MINIMAL_PACKET)).containsExactly(CONNECT_311_MINIMAL);
    assertThat(encode(CONNECT_311_FULL_PACKET)).containsExactly(CONNECT_311_FULL);
    assertThat(encode(CONNECT_31_PACKET)).containsExactly(CONNECT_31);
    assertThat(encode(SUBSCRIBE_PACKET)).containsExactly(SUBSCRIBE);
    assertThat(encode(UNSUBSCRIBE_PACKET)).containsExactly(UNSUBSCRIBE);
  }

  @Test
  void encodesMqtt5ConnectWithEmptyPropertyBlocks() {
    assertThat(encode(CONNECT_5_PACKET))
        .containsExactly(
            bytes(
                0x10, 22, //               CONNECT, remaining length 22
                0x00, 0x04, "MQTT", 0x05, // protocol name, level 5
                0x06, 0x00, 0x3C, //       will + clean session, keep alive 60 s
                0x00, //                   properties: none
                0x00, 0x02, "c5", //       client id
                0x00, //                   will properties: none
                0x00, 0x01, "w", //        will topic
                0x00, 0x01, "x")); //      will payload
  }

  @Test
  void encodesStringsAsUtf8() {
    assertThat(encode(new Unsubscribe(1, List.of("\u00e9/\ud83d\ude00"))))
        .containsExactly(
            0xA2, 11, //                   UNSUBSCRIBE, remaining length 11
            0x00, 0x01, //                 packet id 1
            0x00, 0x07, //                 filter length 7
            0xC3, 0xA9, '/', //            U+00E9, '/'
            0xF0, 0x9F, 0x98, 0x80); //    U+1F600
  }

  @Test
  void refusesStringsWithUnpairedSurrogates() {
    assertThatThrownBy(() -> MqttEncoder.size(new Unsubscribe(1, List.of("a\ud800"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * A PUBLISH is sized so that its remaining length lands on each side of the boundaries where
   * the variable byte integer grows a byte.
   */
  @ParameterizedTest
  @CsvSource({
    "127,     7F",
    "128,     80 01",
    "16383,   FF 7F",
    "16384,   80 80 01",
    "2097151, FF FF 7F",
    "2097152, 80 80 80 01"
  })
  void encodesRemainingLengthBoundaries(int remainingLength, String expectedHex) {
    byte[] lengthBytes = hex(expectedHex);
    byte[] topic = ascii("t");
    byte[] payload = new byte[remainingLength - 3]; // 2-byte topic length + "t"
    payload[payload.length - 1] = 0x5A; // the last byte, so truncation shows

    int size = MqttEncoder.publishSize(topic, 0, payload.length);
    assertThat(size).isEqualTo(1 + lengthBytes.length + remainingLength);
    ByteBuffer out = ByteBuffer.allocate(size);
    MqttEncoder.writePublish(out, topic, payload, 0, false, false, 0);
    assertThat(out.position()).isEqualTo(size);

    byte[] header = new byte[1 + lengthBytes.length];
    out.flip().get(header);
    assertThat(header).containsExactly(bytes(0x30, lengthBytes));

    // and the decoder reads the same length back
    MqttDecoder decoder = new MqttDecoder(size);
    assertThat(decoder.decode(buffer(CONNECT_311_MINIMAL))).isNotNull();
    out.rewind();
    Publish publish = (Publish) decoder.decode(out);
    assertThat(decoder.violation()).isNull();
    assertThat(publish.topic()).isEqualTo("t");
    assertThat(publish.payload()).hasSize(remainingLength - 3).endsWith(0x5A);
    assertThat(out.hasRemaining()).isFalse();
  }

  @Test
  void encodesTheLargestRemainingLengthAndRefusesLarger() {
    ByteBuffer out = ByteBuffer.allocate(4);
    MqttEncoder.writeRemainingLength(out, MqttEncoder.MAX_REMAINING_LENGTH);
    assertThat(out.array()).containsExactly(0xFF, 0xFF, 0xFF, 0x7F);
    assertThat(MqttEncoder.remainingLengthSize(MqttEncoder.MAX_REMAINING_LENGTH)).isEqualTo(4);
    assertThatThrownBy(() -> MqttEncoder.remainingLengthSize(MqttEncoder.MAX_REMAINING_LENGTH + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] outboundPublish(
      String topic, byte[] payload, int qos, boolean retain, boolean dup, int packetId) {
    byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(MqttEncoder.publishSize(topicBytes, qos, payload.length));
    MqttEncoder.writePublish(out, topicBytes, payload, qos, retain, dup, packetId);
    assertThat(out.hasRemaining()).as("publishSize matches what was written").isFalse();
    return out.array();
  }

  private static byte[] hex(String spaced) {
    String[] parts = spaced.trim().split(" ");
    byte[] out = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return out;
  }
}
