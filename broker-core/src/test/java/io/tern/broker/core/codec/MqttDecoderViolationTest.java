package io.tern.broker.core.codec;

import static io.tern.broker.core.codec.Fixtures.*;
import static io.tern.broker.core.codec.MqttDecoderTest.connectedDecoder;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed and out-of-order packets, each named after the normative statement it breaks. */
class MqttDecoderViolationTest {
  private static final int MAX = 1 << 20;

  /** Decodes {@code bytes} and returns the spec id of the violation it must cause. */
  private static String violationOf(MqttDecoder decoder, byte[] bytes) {
    Packet packet = decoder.decode(buffer(bytes));
    assertThat(packet).as("decoded packet").isNull();
    assertThat(decoder.violation()).as("violation").isNotNull();
    return decoder.violation().specId();
  }

  private static String violationAfterConnect(byte[] bytes) {
    return violationOf(connectedDecoder(), bytes);
  }

  /** A CONNECT for level 4 with the given flags byte and payload after the keep alive. */
  private static byte[] connect(int flags, byte[] payload) {
    return bytes(
        0x10, 10 + payload.length, //   CONNECT, remaining length
        0x00, 0x04, "MQTT", 0x04, //    protocol name, level 4
        flags, //                       connect flags under test
        0x00, 0x3C, //                  keep alive 60 s
        payload);
  }

  // ---- ordering and packet types ----

  @ParameterizedTest
  @ValueSource(ints = {0x30, 0x40, 0x62, 0x82, 0xA2, 0xC0, 0xE0, 0x20, 0x00, 0xF0})
  void firstPacketMustBeConnect_MQTT_3_1_0_1(int firstByte) {
    assertThat(violationOf(new MqttDecoder(MAX), bytes(firstByte, 0))).isEqualTo("MQTT-3.1.0-1");
  }

  @Test
  void secondConnectIsAViolation_MQTT_3_1_0_2() {
    assertThat(violationAfterConnect(CONNECT_311_MINIMAL)).isEqualTo("MQTT-3.1.0-2");
  }

  @ParameterizedTest
  @ValueSource(ints = {0x00, 0x20, 0x90, 0xB0, 0xD0, 0xF0}) // reserved 0, CONNACK, SUBACK,
  // UNSUBACK, PINGRESP, reserved 15
  void packetsAClientMustNotSendAreRefused(int firstByte) {
    assertThat(violationAfterConnect(bytes(firstByte, 2, 0x00, 0x01)))
        .isEqualTo("forbidden-packet-type");
  }

  @Test
  void decoderStaysStoppedAfterAViolation() {
    MqttDecoder decoder = connectedDecoder();
    violationOf(decoder, bytes(0x61, 2, 0x00, 0x01));
    Violation first = decoder.violation();
    ByteBuffer in = buffer(PUBACK);
    assertThat(decoder.decode(in)).isNull();
    assertThat(decoder.violation()).isSameAs(first);
  }

  // ---- fixed header flags ----

  @Test
  void reservedFlagsOnPubrelAreMalformed_MQTT_2_2_2_2() {
    assertThat(violationAfterConnect(bytes(0x60, 2, 0x00, 0x07))).isEqualTo("MQTT-2.2.2-2");
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        0x80, // SUBSCRIBE without 0010
        0xA0, // UNSUBSCRIBE without 0010
        0x63, // PUBREL 0011
        0x41, // PUBACK 0001
        0x52, // PUBREC 0010
        0x78, // PUBCOMP 1000
        0xC1, // PINGREQ 0001
        0xE2 //  DISCONNECT 0010
      })
  void reservedFlagsMustMatchTheSpecification_MQTT_2_2_2_2(int firstByte) {
    assertThat(violationAfterConnect(bytes(firstByte, 2, 0x00, 0x07))).isEqualTo("MQTT-2.2.2-2");
  }

  @Test
  void reservedFlagsOnConnectAreMalformed_MQTT_2_2_2_2() {
    byte[] bytes = CONNECT_311_MINIMAL.clone();
    bytes[0] = 0x12;
    assertThat(violationOf(new MqttDecoder(MAX), bytes)).isEqualTo("MQTT-2.2.2-2");
  }

  // ---- PUBLISH ----

  @Test
  void publishWithQos3IsMalformed_MQTT_3_3_1_4() {
    assertThat(violationAfterConnect(bytes(0x36, 7, 0x00, 0x03, "a/b", 0x00, 0x01)))
        .isEqualTo("MQTT-3.3.1-4");
  }

  @Test
  void dupOnQos0PublishIsMalformed_MQTT_3_3_1_2() {
    assertThat(violationAfterConnect(bytes(0x38, 5, 0x00, 0x03, "a/b")))
        .isEqualTo("MQTT-3.3.1-2");
  }

  @Test
  void qos1PublishWithPacketIdZeroIsMalformed_MQTT_2_3_1_1() {
    assertThat(violationAfterConnect(bytes(0x32, 7, 0x00, 0x03, "a/b", 0x00, 0x00)))
        .isEqualTo("MQTT-2.3.1-1");
  }

  @Test
  void qos2PublishWithPacketIdZeroIsMalformed_MQTT_2_3_1_1() {
    assertThat(violationAfterConnect(bytes(0x34, 7, 0x00, 0x03, "a/b", 0x00, 0x00)))
        .isEqualTo("MQTT-2.3.1-1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/+", "#", "a/#", "+", "a+b"})
  void wildcardInPublishTopicIsMalformed_MQTT_3_3_2_2(String topic) {
    byte[] name = topic.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(violationAfterConnect(bytes(0x30, 2 + name.length, 0x00, name.length, name)))
        .isEqualTo("MQTT-3.3.2-2");
  }

  @Test
  void emptyPublishTopicIsMalformed_MQTT_4_7_3_1() {
    assertThat(violationAfterConnect(bytes(0x30, 4, 0x00, 0x00, "hi")))
        .isEqualTo("MQTT-4.7.3-1");
  }

  @Test
  void publishTopicRunningPastTheRemainingLengthIsMalformed() {
    // topic length 9 but only 3 topic bytes in the packet
    assertThat(violationAfterConnect(bytes(0x30, 5, 0x00, 0x09, "a/b")))
        .isEqualTo("remaining-length-mismatch");
  }

  @Test
  void qos1PublishWithoutRoomForPacketIdIsMalformed() {
    assertThat(violationAfterConnect(bytes(0x32, 6, 0x00, 0x03, "a/b", 0x00)))
        .isEqualTo("remaining-length-mismatch");
  }

  // ---- UTF-8 strings ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ED A0 80", //    U+D800, an encoded surrogate
        "ED BF BF", //    U+DFFF, an encoded surrogate
        "C0 AF", //       overlong '/'
        "E0 80 AF", //    overlong '/' in three bytes
        "E2 82", //       truncated three-byte sequence
        "80", //          lone continuation byte
        "FF" //           never valid in UTF-8
      })
  void illFormedUtf8InTopicIsMalformed_MQTT_1_5_3_1(String hex) {
    byte[] topic = hex(hex);
    assertThat(violationAfterConnect(bytes(0x30, 3 + topic.length, 0x00, 1 + topic.length, 'a', topic)))
        .isEqualTo("MQTT-1.5.3-1");
  }

  @Test
  void nulCharacterInTopicIsMalformed_MQTT_1_5_3_2() {
    assertThat(violationAfterConnect(bytes(0x30, 5, 0x00, 0x03, 'a', 0x00, 'b')))
        .isEqualTo("MQTT-1.5.3-2");
  }

  @Test
  void illFormedUtf8InClientIdIsMalformed_MQTT_1_5_3_1() {
    byte[] bytes = connect(0x02, bytes(0x00, 0x04, 'c', 0xED, 0xA0, 0x80)); // 'c' U+D800
    assertThat(violationOf(new MqttDecoder(MAX), bytes)).isEqualTo("MQTT-1.5.3-1");
  }

  @Test
  void nulCharacterInClientIdIsMalformed_MQTT_1_5_3_2() {
    byte[] bytes = connect(0x02, bytes(0x00, 0x02, 'c', 0x00));
    assertThat(violationOf(new MqttDecoder(MAX), bytes)).isEqualTo("MQTT-1.5.3-2");
  }

  // ---- CONNECT ----

  @Test
  void unknownProtocolNameIsAViolation_MQTT_3_1_2_1() {
    byte[] bytes = CONNECT_311_MINIMAL.clone();
    bytes[7] = 'X'; // "MQTX"
    assertThat(violationOf(new MqttDecoder(MAX), bytes)).isEqualTo("MQTT-3.1.2-1");
  }

  @Test
  void reservedConnectFlagIsMalformed_MQTT_3_1_2_3() {
    assertThat(violationOf(new MqttDecoder(MAX), connect(0x03, bytes(0x00, 0x01, "c"))))
        .isEqualTo("MQTT-3.1.2-3");
  }

  @Test
  void willQosWithoutWillFlagIsMalformed_MQTT_3_1_2_13() {
    assertThat(violationOf(new MqttDecoder(MAX), connect(0x0A, bytes(0x00, 0x01, "c"))))
        .isEqualTo("MQTT-3.1.2-13");
  }

  @Test
  void willRetainWithoutWillFlagIsMalformed_MQTT_3_1_2_15() {
    assertThat(violationOf(new MqttDecoder(MAX), connect(0x22, bytes(0x00, 0x01, "c"))))
        .isEqualTo("MQTT-3.1.2-15");
  }

  @Test
  void willQos3IsMalformed_MQTT_3_1_2_14() {
    byte[] payload = bytes(0x00, 0x01, "c", 0x00, 0x01, "w", 0x00, 0x00);
    assertThat(violationOf(new MqttDecoder(MAX), connect(0x1E, payload)))
        .isEqualTo("MQTT-3.1.2-14");
  }

  @Test
  void passwordWithoutUserNameIsMalformed_MQTT_3_1_2_22() {
    byte[] payload = bytes(0x00, 0x01, "c", 0x00, 0x02, "pw");
    assertThat(violationOf(new MqttDecoder(MAX), connect(0x42, payload)))
        .isEqualTo("MQTT-3.1.2-22");
  }

  @Test
  void wildcardInWillTopicIsMalformed_MQTT_3_3_2_2() {
    byte[] payload = bytes(0x00, 0x01, "c", 0x00, 0x03, "w/#", 0x00, 0x00);
    assertThat(violationOf(new MqttDecoder(MAX), connect(0x06, payload)))
        .isEqualTo("MQTT-3.3.2-2");
  }

  @Test
  void emptyWillTopicIsMalformed_MQTT_4_7_3_1() {
    byte[] payload = bytes(0x00, 0x01, "c", 0x00, 0x00, 0x00, 0x00);
    assertThat(violationOf(new MqttDecoder(MAX), connect(0x06, payload)))
        .isEqualTo("MQTT-4.7.3-1");
  }

  @Test
  void connectWithMissingUserNameIsMalformed() {
    // user name flag set, payload ends after the client id
    assertThat(violationOf(new MqttDecoder(MAX), connect(0x82, bytes(0x00, 0x01, "c"))))
        .isEqualTo("remaining-length-mismatch");
  }

  @Test
  void connectWithTrailingBytesIsMalformed() {
    assertThat(violationOf(new MqttDecoder(MAX), connect(0x02, bytes(0x00, 0x01, "c", 0x00))))
        .isEqualTo("remaining-length-mismatch");
  }

  // ---- acknowledgements, PINGREQ, DISCONNECT ----

  @ParameterizedTest
  @ValueSource(ints = {0x40, 0x50, 0x62, 0x70})
  void acknowledgementLongerThanTwoBytesIsMalformed(int firstByte) {
    assertThat(violationAfterConnect(bytes(firstByte, 3, 0x00, 0x07, 0x00)))
        .isEqualTo("remaining-length-mismatch");
  }

  @ParameterizedTest
  @ValueSource(ints = {0x40, 0x50, 0x62, 0x70})
  void acknowledgementShorterThanTwoBytesIsMalformed(int firstByte) {
    assertThat(violationAfterConnect(bytes(firstByte, 1, 0x07)))
        .isEqualTo("remaining-length-mismatch");
  }

  @ParameterizedTest
  @ValueSource(ints = {0x40, 0x50, 0x62, 0x70})
  void acknowledgementOfPacketIdZeroIsMalformed_MQTT_2_3_1_1(int firstByte) {
    assertThat(violationAfterConnect(bytes(firstByte, 2, 0x00, 0x00))).isEqualTo("MQTT-2.3.1-1");
  }

  @ParameterizedTest
  @ValueSource(ints = {0xC0, 0xE0})
  void pingreqAndDisconnectWithABodyAreMalformed(int firstByte) {
    assertThat(violationAfterConnect(bytes(firstByte, 1, 0x00)))
        .isEqualTo("remaining-length-mismatch");
  }

  // ---- SUBSCRIBE and UNSUBSCRIBE ----

  @Test
  void subscribeWithoutFiltersIsAViolation_MQTT_3_8_3_3() {
    assertThat(violationAfterConnect(bytes(0x82, 2, 0x00, 0x01))).isEqualTo("MQTT-3.8.3-3");
  }

  @ParameterizedTest
  @ValueSource(ints = {0x03, 0x04, 0x41, 0x80, 0xFC})
  void requestedQosWithReservedBitsOrAbove2IsMalformed_MQTT_3_8_3_4(int qosByte) {
    assertThat(violationAfterConnect(bytes(0x82, 6, 0x00, 0x01, 0x00, 0x01, "a", qosByte)))
        .isEqualTo("MQTT-3.8.3-4");
  }

  @Test
  void subscribeWithPacketIdZeroIsMalformed_MQTT_2_3_1_1() {
    assertThat(violationAfterConnect(bytes(0x82, 6, 0x00, 0x00, 0x00, 0x01, "a", 0x00)))
        .isEqualTo("MQTT-2.3.1-1");
  }

  @Test
  void subscribeFilterWithoutQosByteIsMalformed() {
    assertThat(violationAfterConnect(bytes(0x82, 5, 0x00, 0x01, 0x00, 0x01, "a")))
        .isEqualTo("remaining-length-mismatch");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/#/b", "a#", "#/", "##", "a/b#"})
  void misplacedMultiLevelWildcardIsMalformed_MQTT_4_7_1_2(String filter) {
    assertThat(violationAfterConnect(subscribe(filter))).isEqualTo("MQTT-4.7.1-2");
    assertThat(violationAfterConnect(unsubscribe(filter))).isEqualTo("MQTT-4.7.1-2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a+", "+a", "a/b+/c", "++"})
  void singleLevelWildcardNotAWholeLevelIsMalformed_MQTT_4_7_1_3(String filter) {
    assertThat(violationAfterConnect(subscribe(filter))).isEqualTo("MQTT-4.7.1-3");
    assertThat(violationAfterConnect(unsubscribe(filter))).isEqualTo("MQTT-4.7.1-3");
  }

  @Test
  void emptyFilterIsMalformed_MQTT_4_7_3_1() {
    assertThat(violationAfterConnect(subscribe(""))).isEqualTo("MQTT-4.7.3-1");
    assertThat(violationAfterConnect(unsubscribe(""))).isEqualTo("MQTT-4.7.3-1");
  }

  @Test
  void illFormedUtf8InFilterIsMalformed_MQTT_1_5_3_1() {
    assertThat(violationAfterConnect(bytes(0x82, 7, 0x00, 0x01, 0x00, 0x02, 0xC0, 0xAF, 0x00)))
        .isEqualTo("MQTT-1.5.3-1");
  }

  @Test
  void unsubscribeWithoutFiltersIsAViolation_MQTT_3_10_3_2() {
    assertThat(violationAfterConnect(bytes(0xA2, 2, 0x00, 0x01))).isEqualTo("MQTT-3.10.3-2");
  }

  @Test
  void unsubscribeWithPacketIdZeroIsMalformed_MQTT_2_3_1_1() {
    assertThat(violationAfterConnect(bytes(0xA2, 5, 0x00, 0x00, 0x00, 0x01, "a")))
        .isEqualTo("MQTT-2.3.1-1");
  }

  // ---- remaining length and packet size ----

  @Test
  void fifthRemainingLengthByteIsMalformed() {
    MqttDecoder decoder = new MqttDecoder(Integer.MAX_VALUE);
    ByteBuffer in = buffer(bytes(0x10, 0xFF, 0xFF, 0xFF)); // three continuation bytes so far
    assertThat(decoder.decode(in)).isNull();
    assertThat(decoder.violation()).as("undecided after 3 length bytes").isNull();
    assertThat(in.position()).isZero();

    // the fourth length byte still continues: a fifth would be needed
    assertThat(violationOf(decoder, bytes(0x10, 0xFF, 0xFF, 0xFF, 0xFF)))
        .isEqualTo("malformed-remaining-length");
  }

  @Test
  void largestFourByteRemainingLengthIsAcceptedWhileTheBodyIsAwaited() {
    MqttDecoder decoder = new MqttDecoder(Integer.MAX_VALUE);
    ByteBuffer in = buffer(bytes(0x10, 0xFF, 0xFF, 0xFF, 0x7F)); // 268,435,455
    assertThat(decoder.decode(in)).isNull();
    assertThat(decoder.violation()).isNull();
    assertThat(in.position()).isZero();
  }

  @Test
  void oversizedPacketIsRefusedAsSoonAsItsRemainingLengthIsKnown() {
    MqttDecoder decoder = new MqttDecoder(100);
    // CONNECT announcing remaining length 128 (2 length bytes): 131 bytes in all, no body yet
    ByteBuffer in = buffer(bytes(0x10, 0x80));
    assertThat(decoder.decode(in)).isNull();
    assertThat(decoder.violation()).as("length not complete yet").isNull();

    assertThat(violationOf(decoder, bytes(0x10, 0x80, 0x01))).isEqualTo("packet-too-large");
  }

  @Test
  void packetOneByteOverTheMaximumIsRefused() {
    MqttDecoder decoder = new MqttDecoder(CONNECT_311_MINIMAL.length - 1);
    // header alone: the size is known from the first two bytes
    assertThat(violationOf(decoder, java.util.Arrays.copyOf(CONNECT_311_MINIMAL, 2)))
        .isEqualTo("packet-too-large");
  }

  private static byte[] subscribe(String filter) {
    byte[] f = filter.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return bytes(0x82, 5 + f.length, 0x00, 0x01, 0x00, f.length, f, 0x01);
  }

  private static byte[] unsubscribe(String filter) {
    byte[] f = filter.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return bytes(0xA2, 4 + f.length, 0x00, 0x01, 0x00, f.length, f);
  }

  private static byte[] hex(String spaced) {
    String[] parts = spaced.split(" ");
    byte[] out = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return out;
  }
}
