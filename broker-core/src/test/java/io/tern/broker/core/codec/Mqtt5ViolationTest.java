package io.tern.broker.core.codec;

import static io.tern.broker.core.codec.Fixtures.buffer;
import static io.tern.broker.core.codec.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.message.ReasonCode;
import org.junit.jupiter.api.Test;

/** Malformed MQTT 5 packets and protocol errors, each named after the rule it breaks. */
class Mqtt5ViolationTest {

  private static Violation violationOf(MqttDecoder decoder, byte[] bytes) {
    assertThat(decoder.decode(buffer(bytes))).as("decoded packet").isNull();
    assertThat(decoder.violation()).as("violation").isNotNull();
    return decoder.violation();
  }

  private static Violation afterConnect(byte[] bytes) {
    return violationOf(Fixtures5.connectedDecoder(), bytes);
  }

  private static void assertViolation(Violation v, String specId, ReasonCode code) {
    assertThat(v.specId()).isEqualTo(specId);
    assertThat(v.reasonCode()).isEqualTo(code);
  }

  @Test
  void authFromAnMqtt311ClientIsRefused() {
    Violation v = violationOf(MqttDecoderTest.connectedDecoder(), bytes(0xF0, 0));
    assertViolation(v, "forbidden-packet-type", ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void authFromAClientOfAnMqtt311ServerIsRefused() {
    assertThat(violationOf(MqttDecoder.forClient(64), bytes(0xF0, 0)).specId())
        .isEqualTo("forbidden-packet-type");
  }

  @Test
  void authWithReservedFlagsIsMalformed() {
    assertViolation(afterConnect(bytes(0xF1, 0)), "MQTT-2.2.2-2", ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void level5WithTheMqtt31ProtocolNameIsAViolation_MQTT_3_1_2_1() {
    byte[] bytes =
        bytes(
            0x10, 16, //                     CONNECT, remaining length 16
            0x00, 0x06, "MQIsdp", //         the protocol name of MQTT 3.1
            0x05, 0x02, 0x00, 0x00, //       level 5, clean start, keep-alive 0
            0x00, //                         properties: none
            0x00, 0x01, "c"); //             client id
    assertThat(violationOf(new MqttDecoder(1024), bytes).specId()).isEqualTo("MQTT-3.1.2-1");
  }

  @Test
  void unknownPropertyInPublishIsMalformed() {
    byte[] bytes =
        bytes(
            0x30, 7, //                      PUBLISH QoS 0, remaining length 7
            0x00, 0x01, "t", //              topic name
            0x02, 0x07, 0x00, //             properties: length 2, identifier 0x07 is undefined
            "x"); //                         payload
    assertViolation(afterConnect(bytes), "unknown-property", ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void propertyNotAllowedInPubackIsMalformed() {
    byte[] bytes =
        bytes(
            0x40, 6, //                      PUBACK, remaining length 6
            0x00, 0x01, //                   packet id 1
            0x00, //                         reason code: success
            0x02, 0x01, 0x01); //            properties: payload format indicator, not for PUBACK
    assertViolation(afterConnect(bytes), "property-not-allowed", ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void duplicatePropertyInDisconnectIsAProtocolError() {
    byte[] bytes =
        bytes(
            0xE0, 12, //                     DISCONNECT, remaining length 12
            0x00, //                         reason code: normal
            0x0A, //                         properties: length 10
            0x11, 0x00, 0x00, 0x00, 0x01, // session expiry interval 1
            0x11, 0x00, 0x00, 0x00, 0x02); // session expiry interval 2, again
    assertViolation(afterConnect(bytes), "duplicate-property", ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void propertyLengthPastThePacketIsMalformed() {
    byte[] bytes =
        bytes(
            0x40, 5, //                      PUBACK, remaining length 5
            0x00, 0x01, 0x00, //             packet id 1, success
            0x09, 0x1F); //                  properties: length 9, but 1 byte follows
    assertViolation(afterConnect(bytes), "property-length-mismatch", ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void invalidPropertyValueInConnectIsAProtocolError() {
    byte[] bytes =
        bytes(
            0x10, 16, //                     CONNECT, remaining length 16
            0x00, 0x04, "MQTT", 0x05, //     protocol name, level 5
            0x02, 0x00, 0x3C, //             clean start, keep alive 60 s
            0x03, 0x21, 0x00, 0x00, //       properties: receive maximum 0
            0x00, 0x00); //                  client id: empty
    assertViolation(violationOf(new MqttDecoder(1024), bytes), "invalid-property-value", ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void topicAliasZeroIsAProtocolError_MQTT_3_3_2_8() {
    byte[] bytes = bytes(0x30, 8, 0x00, 0x01, "t", 0x03, 0x23, 0x00, 0x00, "x");
    assertViolation(afterConnect(bytes), "MQTT-3.3.2-8", ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void emptyTopicWithoutTopicAliasIsAProtocolError() {
    byte[] bytes = bytes(0x30, 4, 0x00, 0x00, 0x00, "x"); // empty topic, no properties
    assertViolation(afterConnect(bytes), "MQTT-4.7.3-1", ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void wildcardInTopicNameIsAnInvalidTopic_MQTT_3_3_2_2() {
    byte[] bytes = bytes(0x30, 5, 0x00, 0x01, "#", 0x00, "x");
    assertViolation(afterConnect(bytes), "MQTT-3.3.2-2", ReasonCode.TOPIC_NAME_INVALID);
  }

  @Test
  void subscriptionIdentifierInAClientsPublishIsAProtocolError_MQTT_3_3_4_6() {
    byte[] bytes = bytes(0x30, 7, 0x00, 0x01, "t", 0x02, 0x0B, 0x01, "x");
    assertViolation(afterConnect(bytes), "MQTT-3.3.4-6", ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void subscriptionIdentifierZeroInSubscribeIsAProtocolError() {
    byte[] bytes = bytes(0x82, 9, 0x00, 0x01, 0x02, 0x0B, 0x00, 0x00, 0x01, "a", 0x00);
    assertViolation(afterConnect(bytes), "invalid-property-value", ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void retainHandling3IsAProtocolError() {
    byte[] bytes = bytes(0x82, 7, 0x00, 0x01, 0x00, 0x00, 0x01, "a", 0x30); // Retain Handling 3
    assertViolation(afterConnect(bytes), "retain-handling-3", ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void reservedSubscriptionOptionBitsAreMalformed_MQTT_3_8_3_5() {
    for (int options : new int[] {0x40, 0x80}) {
      byte[] bytes = bytes(0x82, 7, 0x00, 0x01, 0x00, 0x00, 0x01, "a", options);
      assertViolation(afterConnect(bytes), "MQTT-3.8.3-5", ReasonCode.MALFORMED_PACKET);
    }
  }

  @Test
  void maximumQos3InSubscriptionOptionsIsMalformed() {
    byte[] bytes = bytes(0x82, 7, 0x00, 0x01, 0x00, 0x00, 0x01, "a", 0x03);
    assertViolation(afterConnect(bytes), "invalid-maximum-qos", ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void noLocalOnASharedSubscriptionIsAProtocolError_MQTT_3_8_3_4() {
    byte[] bytes = bytes(0x82, 16, 0x00, 0x01, 0x00, 0x00, 0x0A, "$share/g/a", 0x04);
    assertViolation(afterConnect(bytes), "MQTT-3.8.3-4", ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void subscribeWithoutFiltersIsAProtocolError_MQTT_3_8_3_2() {
    assertViolation(afterConnect(bytes(0x82, 3, 0x00, 0x01, 0x00)), "MQTT-3.8.3-2", ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void unsubscribeWithoutFiltersIsAProtocolError_MQTT_3_10_3_2() {
    assertViolation(afterConnect(bytes(0xA2, 3, 0x00, 0x01, 0x00)), "MQTT-3.10.3-2", ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void reasonCodeAPacketMayNotCarryIsAProtocolError() {
    // 0x10 (no matching subscribers) belongs to PUBACK and PUBREC, not PUBREL
    assertViolation(afterConnect(bytes(0x62, 3, 0x00, 0x01, 0x10)), "MQTT-3.6.2-1", ReasonCode.PROTOCOL_ERROR);
    assertViolation(afterConnect(bytes(0x40, 3, 0x00, 0x01, 0x03)), "MQTT-3.4.2-1", ReasonCode.PROTOCOL_ERROR);
    assertViolation(afterConnect(bytes(0xE0, 1, 0x03)), "MQTT-3.14.2-1", ReasonCode.PROTOCOL_ERROR);
    assertViolation(afterConnect(bytes(0xF0, 1, 0x04)), "MQTT-3.15.2-1", ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void serverPacketsWithUnsuitableReasonCodesAreProtocolErrors() {
    MqttDecoder decoder = MqttDecoder.forClient(1024, 5);
    assertViolation(violationOf(decoder, bytes(0x20, 3, 0x00, 0x10, 0x00)), "MQTT-3.2.2-8", ReasonCode.PROTOCOL_ERROR);
    assertViolation(
        violationOf(MqttDecoder.forClient(1024, 5), bytes(0x90, 4, 0x00, 0x01, 0x00, 0x11)),
        "MQTT-3.9.3-2",
        ReasonCode.PROTOCOL_ERROR);
    assertViolation(
        violationOf(MqttDecoder.forClient(1024, 5), bytes(0xB0, 4, 0x00, 0x01, 0x00, 0x01)),
        "MQTT-3.11.3-2",
        ReasonCode.PROTOCOL_ERROR);
    assertViolation(
        violationOf(MqttDecoder.forClient(1024, 5), bytes(0x20, 3, 0x01, 0x80, 0x00)),
        "MQTT-3.2.2-6",
        ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void sessionExpiryInAServersDisconnectIsAProtocolError_MQTT_3_14_2_2() {
    byte[] bytes = bytes(0xE0, 7, 0x00, 0x05, 0x11, 0x00, 0x00, 0x00, 0x01);
    assertViolation(violationOf(MqttDecoder.forClient(1024, 5), bytes), "MQTT-3.14.2-2", ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void secondConnectAndOversizedPacketsSayWhichReasonCodeToSend() {
    assertViolation(afterConnect(Fixtures5.CONNECT_MINIMAL), "MQTT-3.1.0-2", ReasonCode.PROTOCOL_ERROR);
    MqttDecoder small = new MqttDecoder(Fixtures5.CONNECT_MINIMAL.length);
    assertThat(small.decode(buffer(Fixtures5.CONNECT_MINIMAL))).isNotNull();
    assertViolation(violationOf(small, bytes(0x30, 100)), "packet-too-large", ReasonCode.PACKET_TOO_LARGE);
  }

  @Test
  void mqtt311AcknowledgementWithATrailingByteStaysMalformed() {
    // What MQTT 5 reads as a reason code is left over in 3.1.1.
    assertViolation(
        violationOf(MqttDecoderTest.connectedDecoder(), bytes(0x40, 3, 0x00, 0x01, 0x00)),
        BodyReader.TRUNCATED,
        ReasonCode.MALFORMED_PACKET);
  }
}
