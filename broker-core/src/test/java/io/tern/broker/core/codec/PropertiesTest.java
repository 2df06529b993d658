package io.tern.broker.core.codec;

import static io.tern.broker.core.codec.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.message.ReasonCode;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MQTT 5 property blocks on their own: every type, each rule of section 2.2.2. */
class PropertiesTest {

  /** Reads {@code block} as the property block of {@code context}; it must be consumed whole. */
  private static Properties read(int context, byte[] block) {
    BodyReader body = new BodyReader();
    body.reset(ByteBuffer.wrap(block), 0, block.length);
    Properties properties = PropertiesReader.read(body, context);
    assertThat(body.remaining()).as("bytes left after the block").isZero();
    return properties;
  }

  private static Violation violation(int context, byte[] block) {
    try {
      read(context, block);
    } catch (Malformed e) {
      return e.violation;
    }
    throw new AssertionError("block was accepted");
  }

  private static byte[] written(Properties properties) {
    ByteBuffer out = ByteBuffer.allocate(PropertiesWriter.blockSize(properties));
    PropertiesWriter.write(out, properties);
    assertThat(out.hasRemaining()).as("blockSize matches what was written").isFalse();
    return out.array();
  }

  @Test
  void emptyBlockIsTheSharedEmptyValue() {
    assertThat(read(PacketType.PUBLISH, bytes(0x00))).isSameAs(Properties.EMPTY);
    assertThat(written(Properties.EMPTY)).containsExactly(0x00);
    assertThat(Properties.builder().build()).isSameAs(Properties.EMPTY);
    assertThat(Properties.EMPTY.isEmpty()).isTrue();
  }

  static final byte[] PUBLISH_BLOCK =
      bytes(
          46, //                                property length 46
          0x01, 0x01, //                        payload format indicator: UTF-8
          0x02, 0x00, 0x00, 0x0E, 0x10, //      message expiry interval 3600 s
          0x03, 0x00, 0x04, "text", //          content type "text"
          0x08, 0x00, 0x03, "r/t", //           response topic "r/t"
          0x09, 0x00, 0x02, 0xCA, 0xFE, //      correlation data CA FE
          0x0B, 0x80, 0x01, //                  subscription identifier 128 (two bytes)
          0x0B, 0x05, //                        subscription identifier 5
          0x23, 0x00, 0x07, //                  topic alias 7
          0x26, 0x00, 0x01, "k", 0x00, 0x01, "a", // user property k=a
          0x26, 0x00, 0x01, "k", 0x00, 0x00); //  user property k="" (same name again)

  @Test
  void readsEveryPublishProperty() {
    Properties p = read(PacketType.PUBLISH, PUBLISH_BLOCK);
    assertThat(p.payloadFormatIndicator()).isEqualTo(1);
    assertThat(p.messageExpiryInterval()).isEqualTo(3600L);
    assertThat(p.contentType()).isEqualTo("text");
    assertThat(p.responseTopic()).isEqualTo("r/t");
    assertThat(p.correlationData()).containsExactly(0xCA, 0xFE);
    assertThat(p.subscriptionIdentifiers()).containsExactly(128, 5);
    assertThat(p.topicAlias()).isEqualTo(7);
    assertThat(p.userProperties())
        .containsExactly(
            new Properties.UserProperty("k", "a"), new Properties.UserProperty("k", ""));
    assertThat(p.sessionExpiryInterval()).isNull();
  }

  static final byte[] CONNACK_BLOCK =
      bytes(
          59, //                                property length 59
          0x11, 0xFF, 0xFF, 0xFF, 0xFF, //      session expiry interval: never
          0x12, 0x00, 0x02, "id", //            assigned client identifier "id"
          0x13, 0x00, 0x1E, //                  server keep alive 30 s
          0x15, 0x00, 0x02, "m1", //            authentication method "m1"
          0x16, 0x00, 0x01, 0x07, //            authentication data 07
          0x1A, 0x00, 0x03, "rsp", //           response information "rsp"
          0x1C, 0x00, 0x02, "s2", //            server reference "s2"
          0x1F, 0x00, 0x02, "ok", //            reason string "ok"
          0x21, 0x00, 0x0A, //                  receive maximum 10
          0x22, 0x00, 0x05, //                  topic alias maximum 5
          0x24, 0x01, //                        maximum QoS 1
          0x25, 0x00, //                        retain available: no
          0x27, 0x00, 0x01, 0x00, 0x00, //      maximum packet size 65536
          0x28, 0x00, //                        wildcard subscriptions: no
          0x29, 0x01, //                        subscription identifiers: yes
          0x2A, 0x00); //                       shared subscriptions: no

  @Test
  void readsEveryConnackProperty() {
    Properties p = read(PacketType.CONNACK, CONNACK_BLOCK);
    assertThat(p.sessionExpiryInterval()).isEqualTo(0xFFFF_FFFFL);
    assertThat(p.assignedClientIdentifier()).isEqualTo("id");
    assertThat(p.serverKeepAlive()).isEqualTo(30);
    assertThat(p.authenticationMethod()).isEqualTo("m1");
    assertThat(p.authenticationData()).containsExactly(0x07);
    assertThat(p.responseInformation()).isEqualTo("rsp");
    assertThat(p.serverReference()).isEqualTo("s2");
    assertThat(p.reasonString()).isEqualTo("ok");
    assertThat(p.receiveMaximum()).isEqualTo(10);
    assertThat(p.topicAliasMaximum()).isEqualTo(5);
    assertThat(p.maximumQos()).isEqualTo(1);
    assertThat(p.retainAvailable()).isFalse();
    assertThat(p.maximumPacketSize()).isEqualTo(65536L);
    assertThat(p.wildcardSubscriptionAvailable()).isFalse();
    assertThat(p.subscriptionIdentifierAvailable()).isTrue();
    assertThat(p.sharedSubscriptionAvailable()).isFalse();
  }

  @Test
  void readsConnectAndWillOnlyProperties() {
    Properties connect =
        read(
            PacketType.CONNECT,
            bytes(
                4, //                           property length 4
                0x17, 0x00, //                  request problem information: no
                0x19, 0x01)); //                request response information: yes
    assertThat(connect.requestProblemInformation()).isFalse();
    assertThat(connect.requestResponseInformation()).isTrue();

    Properties will =
        read(
            PropertyId.WillContext.ID,
            bytes(5, 0x18, 0x00, 0x00, 0x00, 0x3C)); // will delay interval 60 s
    assertThat(will.willDelayInterval()).isEqualTo(60L);
  }

  @Test
  void writerProducesWhatTheReaderReads() {
    Properties p = read(PacketType.PUBLISH, PUBLISH_BLOCK);
    assertThat(read(PacketType.PUBLISH, written(p))).isEqualTo(p);
    Properties c = read(PacketType.CONNACK, CONNACK_BLOCK);
    assertThat(read(PacketType.CONNACK, written(c))).isEqualTo(c);
  }

  @Test
  void builderMakesEqualValuesAndCopiesArrays() {
    byte[] data = {1, 2};
    Properties built =
        Properties.builder()
            .correlationData(data)
            .userProperty("a", "b")
            .subscriptionIdentifier(3)
            .messageExpiryInterval(9)
            .build();
    data[0] = 9;
    assertThat(built.correlationData()).containsExactly(1, 2);
    built.correlationData()[0] = 9;
    assertThat(built.correlationData()).containsExactly(1, 2);
    assertThat(built.toBuilder().build()).isEqualTo(built).hasSameHashCodeAs(built);
    assertThat(built.toString()).contains("message_expiry_interval=9", "correlation_data=2 bytes");
  }

  @Test
  void builderRefusesValuesOutOfRange() {
    assertThatThrownBy(() -> Properties.builder().receiveMaximum(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Properties.builder().topicAlias(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Properties.builder().subscriptionIdentifier(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Properties.builder().maximumQos(2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Properties.builder().maximumPacketSize(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Properties.builder().payloadFormatIndicator(2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- violations ----

  @Test
  void unknownIdentifierIsMalformed() {
    Violation v = violation(PacketType.PUBLISH, bytes(2, 0x04, 0x00)); // 0x04 is not defined
    assertThat(v.specId()).isEqualTo("unknown-property");
    assertThat(v.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void propertyNotAllowedInThePacketIsMalformed() {
    // session expiry interval belongs to CONNECT, CONNACK and DISCONNECT, not PUBLISH
    Violation v = violation(PacketType.PUBLISH, bytes(5, 0x11, 0, 0, 0, 1));
    assertThat(v.specId()).isEqualTo("property-not-allowed");
    assertThat(v.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
    // will delay interval belongs to the Will Properties only
    assertThat(violation(PacketType.CONNECT, bytes(5, 0x18, 0, 0, 0, 1)).specId())
        .isEqualTo("property-not-allowed");
  }

  @Test
  void repeatedSingleValuedPropertyIsAProtocolError() {
    Violation v = violation(PacketType.PUBLISH, bytes(4, 0x01, 0x00, 0x01, 0x00));
    assertThat(v.specId()).isEqualTo("duplicate-property");
    assertThat(v.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void secondSubscriptionIdentifierInSubscribeIsAProtocolError() {
    Violation v = violation(PacketType.SUBSCRIBE, bytes(4, 0x0B, 0x01, 0x0B, 0x02));
    assertThat(v.specId()).isEqualTo("duplicate-property");
    assertThat(v.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "payload format indicator 2,       3, 01 02,       invalid-property-value",
    "request problem information 2,    1, 17 02,       invalid-property-value",
    "request response information 2,   1, 19 02,       invalid-property-value",
    "maximum QoS 2,                    2, 24 02,       invalid-property-value",
    "retain available 2,               2, 25 02,       invalid-property-value",
    "wildcard subscription available 2,2, 28 02,       invalid-property-value",
    "subscription identifier avail. 2, 2, 29 02,       invalid-property-value",
    "shared subscription available 2,  2, 2A 02,       invalid-property-value",
    "receive maximum 0,                1, 21 00 00,    invalid-property-value",
    "maximum packet size 0,            1, 27 00 00 00 00, invalid-property-value",
    "topic alias 0,                    3, 23 00 00,    MQTT-3.3.2-8",
    "subscription identifier 0,        3, 0B 00,       invalid-property-value",
    "response topic with wildcard,     3, 08 00 01 23, MQTT-3.3.2-14",
    "authentication data alone,        1, 16 00 01 07, invalid-property-value"
  })
  void valuesOutOfRangeAreProtocolErrors(String what, int context, String hex, String specId) {
    byte[] properties = hex(hex);
    Violation v = violation(context, bytes(properties.length, properties));
    assertThat(v.specId()).isEqualTo(specId);
    assertThat(v.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
  }

  @Test
  void propertyLengthPastThePacketIsMalformed() {
    Violation v = violation(PacketType.PUBLISH, bytes(5, 0x01, 0x00)); // 5 announced, 2 follow
    assertThat(v.specId()).isEqualTo("property-length-mismatch");
    assertThat(v.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void valuePastThePropertyLengthIsMalformedEvenWhenThePacketGoesOn() {
    // property length 2, but the message expiry interval needs 4; the payload follows
    BodyReader body = new BodyReader();
    byte[] bytes = bytes(2, 0x02, 0x00, 0x00, 0x00, 0x01, "payload");
    body.reset(ByteBuffer.wrap(bytes), 0, bytes.length);
    assertThatThrownBy(() -> PropertiesReader.read(body, PacketType.PUBLISH))
        .isInstanceOfSatisfying(
            Malformed.class,
            e -> assertThat(e.violation.specId()).isEqualTo(BodyReader.TRUNCATED));
  }

  @Test
  void overlongVariableByteIntegerIsMalformed_MQTT_1_5_5_1() {
    Violation v = violation(PacketType.PUBLISH, bytes(0x80, 0x00)); // 0 in two bytes
    assertThat(v.specId()).isEqualTo("MQTT-1.5.5-1");
  }

  @Test
  void userPropertiesKeepOrderAndDuplicatesThroughTheWriter() {
    Properties p =
        Properties.builder().userProperty("b", "1").userProperty("a", "2").userProperty("b", "3").build();
    assertThat(read(PacketType.DISCONNECT, written(p)).userProperties())
        .extracting(Properties.UserProperty::name, Properties.UserProperty::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("b", "1"),
            org.assertj.core.groups.Tuple.tuple("a", "2"),
            org.assertj.core.groups.Tuple.tuple("b", "3"));
  }

  static byte[] hex(String spaced) {
    String[] parts = spaced.trim().split(" ");
    byte[] out = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return out;
  }
}
