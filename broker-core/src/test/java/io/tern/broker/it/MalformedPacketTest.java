package io.tern.broker.it;

import static io.tern.broker.it.ConnectPackets.CLEAN_SESSION;
import static io.tern.broker.it.ConnectPackets.PASSWORD;
import static io.tern.broker.it.ConnectPackets.WILL;
import static io.tern.broker.it.ConnectPackets.WILL_RETAIN;
import static io.tern.broker.it.ConnectPackets.bytes;
import static io.tern.broker.it.ConnectPackets.connect;
import static io.tern.broker.it.ConnectPackets.field;
import static io.tern.broker.it.ConnectPackets.publishRawTopic;
import static io.tern.broker.it.ConnectPackets.string;
import static io.tern.broker.it.ConnectPackets.subscribe;
import static io.tern.broker.it.ConnectPackets.unsubscribe;
import static io.tern.broker.it.ConnectPackets.willQos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed packets and protocol violations sent over a socket: the broker closes the offending
 * connection without answering, and its other clients carry on.
 */
@Timeout(60)
class MalformedPacketTest extends BrokerTest {
  /** A violation: what it breaks, whether a valid CONNECT goes first, and the offending bytes. */
  record Case(String description, boolean connectFirst, byte[] bytes) {
    @Override
    public String toString() {
      return description;
    }
  }

  private static Case beforeConnect(String description, int... bytes) {
    return new Case(description, false, bytes(bytes));
  }

  private static Case beforeConnect(String description, byte[] bytes) {
    return new Case(description, false, bytes);
  }

  private static Case afterConnect(String description, int... bytes) {
    return new Case(description, true, bytes(bytes));
  }

  private static Case afterConnect(String description, byte[] bytes) {
    return new Case(description, true, bytes);
  }

  static Stream<Case> violations() {
    byte[] id = string("bad");
    return Stream.of(
        // CONNECT
        beforeConnect("PINGREQ as first packet [MQTT-3.1.0-1]", 0xC0, 0x00),
        beforeConnect("PUBLISH as first packet [MQTT-3.1.0-1]",
            RawClient.publishPacket("t", 0, false, 0, "x")),
        beforeConnect("SUBSCRIBE as first packet [MQTT-3.1.0-1]", RawClient.subscribePacket(1, "t", 0)),
        afterConnect("second CONNECT [MQTT-3.1.0-2]", RawClient.connectPacket("bad", true, 0)),
        beforeConnect("unknown protocol name MQTX [MQTT-3.1.2-1]",
            connect("MQTX", 4, CLEAN_SESSION, 0, id)),
        beforeConnect("lower-case protocol name mqtt [MQTT-3.1.2-1]",
            connect("mqtt", 4, CLEAN_SESSION, 0, id)),
        beforeConnect("reserved connect flag set [MQTT-3.1.2-3]",
            connect("MQTT", 4, CLEAN_SESSION | 0x01, 0, id)),
        beforeConnect("will QoS 3 [MQTT-3.1.2-14]",
            connect("MQTT", 4, CLEAN_SESSION | WILL | willQos(3), 0, id, string("w"), string("m"))),
        beforeConnect("will QoS without will flag [MQTT-3.1.2-13]",
            connect("MQTT", 4, CLEAN_SESSION | willQos(1), 0, id)),
        beforeConnect("will retain without will flag [MQTT-3.1.2-15]",
            connect("MQTT", 4, CLEAN_SESSION | WILL_RETAIN, 0, id)),
        beforeConnect("password without user name [MQTT-3.1.2-22]",
            connect("MQTT", 4, CLEAN_SESSION | PASSWORD, 0, id, string("secret"))),
        beforeConnect("client id with overlong UTF-8 [MQTT-1.5.3-1]",
            connect("MQTT", 4, CLEAN_SESSION, 0, field('a', 0xC0, 0x80))),
        beforeConnect("will topic with a wildcard [MQTT-3.3.2-2]",
            connect("MQTT", 4, CLEAN_SESSION | WILL, 0, id, string("w/#"), string("m"))),
        // reserved fixed-header flags
        afterConnect("PUBREL with flags 0000 [MQTT-2.2.2-1/-2]", 0x60, 0x02, 0x00, 0x01),
        afterConnect("SUBSCRIBE with flags 0000 [MQTT-2.2.2-1/-2]", withFirstByte(0x80, subscribe(1, "t", 0))),
        afterConnect("UNSUBSCRIBE with flags 0000 [MQTT-2.2.2-1/-2]", withFirstByte(0xA0, unsubscribe(1, "t"))),
        afterConnect("PINGREQ with flags 0001 [MQTT-2.2.2-1/-2]", 0xC1, 0x00),
        afterConnect("PUBACK with flags 0010 [MQTT-2.2.2-1/-2]", 0x42, 0x02, 0x00, 0x01),
        afterConnect("DISCONNECT with flags 1000 [MQTT-2.2.2-1/-2]", 0xE8, 0x00),
        // PUBLISH
        afterConnect("PUBLISH QoS 3 [MQTT-3.3.1-4]", withFirstByte(0x36, RawClient.publishPacket("t", 1, false, 1, "x"))),
        afterConnect("PUBLISH to a/+ [MQTT-3.3.2-2]", RawClient.publishPacket("a/+", 0, false, 0, "x")),
        afterConnect("PUBLISH to a/# [MQTT-3.3.2-2]", RawClient.publishPacket("a/#", 0, false, 0, "x")),
        afterConnect("PUBLISH QoS 1 with packet id 0 [MQTT-2.3.1-1]", RawClient.publishPacket("t", 1, false, 0, "x")),
        afterConnect("PUBLISH QoS 2 with packet id 0 [MQTT-2.3.1-1]", RawClient.publishPacket("t", 2, false, 0, "x")),
        afterConnect("PUBLISH to an empty topic [MQTT-4.7.3-1]", publishRawTopic(field(), "x")),
        afterConnect("PUBLISH topic with overlong NUL C0 80 [MQTT-1.5.3-1]",
            publishRawTopic(field('a', 0xC0, 0x80), "x")),
        afterConnect("PUBLISH topic with encoded surrogate ED A0 80 [MQTT-1.5.3-1]",
            publishRawTopic(field('a', 0xED, 0xA0, 0x80), "x")),
        afterConnect("PUBLISH topic with a lone continuation byte [MQTT-1.5.3-1]",
            publishRawTopic(field('a', 0x80), "x")),
        afterConnect("PUBLISH topic with U+0000 [MQTT-1.5.3-2]", publishRawTopic(field('a', 0x00, 'b'), "x")),
        // SUBSCRIBE and UNSUBSCRIBE
        afterConnect("SUBSCRIBE without filters [MQTT-3.8.3-3]", 0x82, 0x02, 0x00, 0x01),
        afterConnect("SUBSCRIBE with packet id 0 [MQTT-2.3.1-1]", subscribe(0, "t", 0)),
        afterConnect("SUBSCRIBE requesting QoS 3 [MQTT-3-8.3-4]", subscribe(1, "t", 3)),
        afterConnect("SUBSCRIBE with reserved bit 2 in the QoS byte [MQTT-3-8.3-4]", subscribe(1, "t", 0x04)),
        afterConnect("SUBSCRIBE with reserved bit 7 in the QoS byte [MQTT-3-8.3-4]", subscribe(1, "t", 0x81)),
        afterConnect("SUBSCRIBE whose second filter has reserved QoS bits [MQTT-3-8.3-4]",
            subscribe(1, "ok", 1, "t", 0x41)),
        afterConnect("SUBSCRIBE to a/#/b [MQTT-4.7.1-2]", subscribe(1, "a/#/b", 0)),
        afterConnect("SUBSCRIBE to a# [MQTT-4.7.1-2]", subscribe(1, "a#", 0)),
        afterConnect("SUBSCRIBE to a+ [MQTT-4.7.1-3]", subscribe(1, "a+", 0)),
        afterConnect("SUBSCRIBE to a/+b [MQTT-4.7.1-3]", subscribe(1, "a/+b", 0)),
        afterConnect("SUBSCRIBE filter with overlong UTF-8 [MQTT-1.5.3-1]",
            subscribe(1, field('a', 0xC0, 0x80), 0)),
        afterConnect("SUBSCRIBE filter with encoded surrogate [MQTT-1.5.3-1]",
            subscribe(1, field(0xED, 0xA0, 0x80), 0)),
        afterConnect("SUBSCRIBE filter with U+0000 [MQTT-1.5.3-2]", subscribe(1, field('a', 0x00), 0)),
        afterConnect("UNSUBSCRIBE without filters [MQTT-3.10.3-2]", 0xA2, 0x02, 0x00, 0x01),
        afterConnect("UNSUBSCRIBE from a/#/b [MQTT-4.7.1-2]", unsubscribe(1, "a/#/b")),
        // remaining length
        afterConnect("remaining length of 5 bytes [MQTT-2.2.3]", 0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
        beforeConnect("remaining length of 5 bytes before CONNECT [MQTT-2.2.3]",
            0x10, 0x80, 0x80, 0x80, 0x80, 0x01),
        afterConnect("remaining length shorter than the topic", 0x30, 0x03, 0x00, 0x0A, 'a'),
        afterConnect("PINGREQ with a remaining length of 1", 0xC0, 0x01, 0x00),
        afterConnect("PUBACK with a remaining length of 3", 0x40, 0x03, 0x00, 0x01, 0x00),
        afterConnect("SUBSCRIBE whose filter length runs past the packet", 0x82, 0x06, 0x00, 0x01, 0x00, 0x05, 'a', 0x00),
        beforeConnect("CONNECT whose client id length runs past the packet",
            0x10, 0x0F, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x00, 0x00, 0x09, 'a', 'b', 'c'),
        // packet types a server never receives
        afterConnect("packet type 0 [MQTT-2.2.1]", 0x00, 0x00),
        afterConnect("packet type 15 [MQTT-2.2.1]", 0xF0, 0x00),
        beforeConnect("packet type 0 before CONNECT [MQTT-3.1.0-1]", 0x00, 0x00),
        afterConnect("client sends CONNACK", 0x20, 0x02, 0x00, 0x00),
        afterConnect("client sends SUBACK", 0x90, 0x03, 0x00, 0x01, 0x00),
        afterConnect("client sends UNSUBACK", 0xB0, 0x02, 0x00, 0x01),
        afterConnect("client sends PINGRESP", 0xD0, 0x00));
  }

  /** The packet with its first byte (type and flags) replaced. */
  private static byte[] withFirstByte(int first, byte[] packet) {
    byte[] copy = packet.clone();
    copy[0] = (byte) first;
    return copy;
  }

  private Paho watcher;

  @BeforeEach
  void connectWatcher() throws Exception {
    watcher = connectPaho("watcher");
    watcher.client.subscribe("after/#", 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("violations")
  void closesTheOffenderAndLeavesOtherClientsAlone(Case violation) throws Exception {
    try (RawClient offender = new RawClient(broker)) {
      if (violation.connectFirst()) {
        offender.connect("offender", true);
      }
      offender.send(violation.bytes());
      assertThat(offender.closedByBroker()).as("closed without a reply").isTrue();
    }

    try (Paho publisher = Paho.connect(broker, "publisher")) {
      publisher.publish("after/violation", "still served", 1, false);
    }
    await().untilAsserted(() -> assertThat(watcher.received)
        .containsExactly(new Paho.Received("after/violation", "still served", 1, false, false)));
    assertThat(watcher.connectionLost).isNull();
  }
}
