package io.tern.broker.it;

import static io.tern.broker.it.ConnectPackets.CLEAN_SESSION;
import static io.tern.broker.it.ConnectPackets.bytes;
import static io.tern.broker.it.ConnectPackets.connect;
import static io.tern.broker.it.ConnectPackets.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.BrokerBuilder;
import io.tern.broker.message.ReasonCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed MQTT 5 packets and protocol violations sent over a socket after a valid MQTT 5
 * CONNECT: the broker answers with a DISCONNECT carrying the reason code the specification names
 * [MQTT-4.13.1-1], closes the connection, and its other clients carry on.
 */
@Timeout(60)
class Mqtt5MalformedPacketTest extends BrokerTest {
  private static final int MAX_PACKET_SIZE = 512;

  /** A violation: what it breaks, the offending bytes, and the reason code expected in the DISCONNECT. */
  record Case(String description, byte[] bytes, ReasonCode expected) {
    @Override
    public String toString() {
      return description;
    }
  }

  private static Case violation(String description, ReasonCode expected, Object... parts) {
    return new Case(description, raw(parts), expected);
  }

  /** Bytes from ints (one byte each) and strings (their UTF-8 bytes, no length prefix). */
  private static byte[] raw(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
      } else {
        out.write((Integer) part);
      }
    }
    return out.toByteArray();
  }

  static Stream<Case> violations() {
    ReasonCode malformed = ReasonCode.MALFORMED_PACKET;
    ReasonCode protocol = ReasonCode.PROTOCOL_ERROR;
    return Stream.of(
        // fixed header
        violation("PUBREL with reserved flags 0000 [MQTT-2.2.2-2]", malformed, 0x60, 3, 0x00, 0x01, 0x00),
        violation("AUTH with reserved flags 0001 [MQTT-2.2.2-2]", malformed, 0xF1, 0),
        violation("packet type 0 is reserved", protocol, 0x00, 0),
        violation("CONNACK from a client", protocol, 0x20, 2, 0x00, 0x00),
        violation("second CONNECT [MQTT-3.1.0-2]", protocol,
            0x10, 13, 0x00, 0x04, "MQTT", 0x05, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00),
        violation("packet over the maximum packet size", ReasonCode.PACKET_TOO_LARGE, 0x30, 0xFF, 0x0F),
        // properties
        violation("unknown property identifier 0x07 in PUBLISH", malformed,
            0x30, 7, 0x00, 0x01, "t", 0x02, 0x07, 0x00, "x"),
        violation("Payload Format Indicator in PUBACK, where it is not allowed", malformed,
            0x40, 6, 0x00, 0x01, 0x00, 0x02, 0x01, 0x01),
        violation("Session Expiry Interval twice in DISCONNECT", protocol,
            0xE0, 12, 0x00, 0x0A, 0x11, 0x00, 0x00, 0x00, 0x01, 0x11, 0x00, 0x00, 0x00, 0x02),
        violation("property length past the end of the packet", malformed, 0x40, 5, 0x00, 0x01, 0x00, 0x09, 0x1F),
        violation("Payload Format Indicator 2", protocol, 0x30, 7, 0x00, 0x01, "t", 0x02, 0x01, 0x02, "x"),
        violation("Reason String that is not UTF-8 [MQTT-1.5.4-1]", malformed,
            0x40, 8, 0x00, 0x01, 0x80, 0x04, 0x1F, 0x00, 0x01, 0xFF),
        violation("User Property without its value", malformed,
            0x40, 9, 0x00, 0x01, 0x00, 0x05, 0x26, 0x00, 0x01, "k", 0x00),
        violation("property length as a five-byte variable integer", malformed,
            0x40, 9, 0x00, 0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00),
        // PUBLISH
        violation("Topic Alias 0 [MQTT-3.3.2-8]", protocol, 0x30, 8, 0x00, 0x01, "t", 0x03, 0x23, 0x00, 0x00, "x"),
        violation("empty topic without a Topic Alias", protocol, 0x30, 4, 0x00, 0x00, 0x00, "x"),
        violation("wildcard in the topic name [MQTT-3.3.2-2]", ReasonCode.TOPIC_NAME_INVALID,
            0x30, 5, 0x00, 0x01, "#", 0x00, "x"),
        violation("Subscription Identifier in a client's PUBLISH [MQTT-3.3.4-6]", protocol,
            0x30, 7, 0x00, 0x01, "t", 0x02, 0x0B, 0x01, "x"),
        violation("Response Topic with a wildcard [MQTT-3.3.2-14]", protocol,
            0x30, 10, 0x00, 0x01, "t", 0x05, 0x08, 0x00, 0x02, "a#", "x"),
        violation("QoS 3 PUBLISH [MQTT-3.3.1-4]", malformed, 0x36, 6, 0x00, 0x01, "t", 0x00, 0x01, 0x00),
        violation("QoS 1 PUBLISH with packet id 0 [MQTT-2.2.1-3]", malformed, 0x32, 6, 0x00, 0x01, "t", 0x00, 0x00, 0x00),
        // SUBSCRIBE and UNSUBSCRIBE
        violation("Subscription Identifier 0", protocol, 0x82, 9, 0x00, 0x01, 0x02, 0x0B, 0x00, 0x00, 0x01, "a", 0x00),
        violation("Retain Handling 3", protocol, 0x82, 7, 0x00, 0x01, 0x00, 0x00, 0x01, "a", 0x30),
        violation("reserved subscription option bit 6 [MQTT-3.8.3-5]", malformed,
            0x82, 7, 0x00, 0x01, 0x00, 0x00, 0x01, "a", 0x40),
        violation("maximum QoS 3 in the subscription options", malformed,
            0x82, 7, 0x00, 0x01, 0x00, 0x00, 0x01, "a", 0x03),
        violation("No Local on a shared subscription [MQTT-3.8.3-4]", protocol,
            0x82, 16, 0x00, 0x01, 0x00, 0x00, 0x0A, "$share/g/a", 0x04),
        violation("SUBSCRIBE without a filter [MQTT-3.8.3-2]", protocol, 0x82, 3, 0x00, 0x01, 0x00),
        violation("UNSUBSCRIBE without a filter [MQTT-3.10.3-2]", protocol, 0xA2, 3, 0x00, 0x01, 0x00),
        // correctly formed but refused filters get SUBACK 0x8F; an ill-formed one is malformed
        violation("filter with # not last [MQTT-4.7.1-1]", malformed,
            0x82, 9, 0x00, 0x01, 0x00, 0x00, 0x03, "#/a", 0x00),
        // acknowledgements and DISCONNECT with reason codes they may not carry
        violation("PUBREL with reason code 0x10 [MQTT-3.6.2-1]", protocol, 0x62, 3, 0x00, 0x01, 0x10),
        violation("PUBACK with reason code 0x03 [MQTT-3.4.2-1]", protocol, 0x40, 3, 0x00, 0x01, 0x03),
        violation("DISCONNECT with reason code 0x03 [MQTT-3.14.2-1]", protocol, 0xE0, 1, 0x03),
        violation("AUTH with reason code 0x04 [MQTT-3.15.2-1]", protocol, 0xF0, 1, 0x04));
  }

  @Override
  protected BrokerBuilder configure(BrokerBuilder builder) {
    return builder.maxPacketSize(MAX_PACKET_SIZE);
  }

  private Paho watcher;

  @BeforeEach
  void connectWatcher() throws Exception {
    watcher = connectPaho("watcher");
    watcher.client.subscribe("after/#", 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("violations")
  void answersWithDisconnectAndItsReasonCodeThenCloses(Case violation) throws Exception {
    try (RawClient offender = new RawClient(broker)) {
      offender.send(connect("MQTT", 5, CLEAN_SESSION, 0, bytes(0), string("offender")));
      RawClient.Frame connack = offender.read();
      assertThat(connack.type()).isEqualTo(2);
      assertThat(connack.body()[1]).as("CONNACK reason code").isZero();

      offender.send(violation.bytes());
      RawClient.Frame disconnect = offender.read();
      assertThat(disconnect.type()).as("DISCONNECT").isEqualTo(14);
      assertThat(disconnect.body()[0] & 0xFF).as("reason code").isEqualTo(violation.expected().value());
      assertThat(offender.closedByBroker()).as("closed after the DISCONNECT").isTrue();
    }

    try (Paho publisher = Paho.connect(broker, "publisher")) {
      publisher.publish("after/violation", "still served", 1, false);
    }
    await().untilAsserted(() -> assertThat(watcher.received)
        .containsExactly(new Paho.Received("after/violation", "still served", 1, false, false)));
    assertThat(watcher.connectionLost).isNull();
  }
}
