package io.tern.broker.it;

import static io.tern.broker.it.ConnectPackets.bytes;
import static io.tern.broker.it.ConnectPackets.concat;
import static io.tern.broker.it.ConnectPackets.field;
import static io.tern.broker.it.ConnectPackets.string;
import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.Broker;
import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.Packet;
import io.tern.broker.core.codec.PacketType;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.PubAck;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.message.ReasonCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Strings and topics in MQTT 5 packets over a socket: ill-formed UTF-8 and U+0000 in topic names,
 * topic filters, User Properties, Response Topic and Content Type make the packet malformed (the
 * broker answers DISCONNECT 0x81 and closes); a U+FEFF is kept; topics are matched as given,
 * neither normalized nor repaired, up to 65,535 bytes.
 */
@Timeout(60)
class Mqtt5StringAndTopicTest extends Mqtt5BrokerTest {
  private static final Duration QUIET = Duration.ofMillis(700);

  /** Bytes that break a rule, sent after an accepted MQTT 5 CONNECT, and the DISCONNECT reason expected. */
  record Case(String description, byte[] bytes, ReasonCode expected) {
    @Override
    public String toString() {
      return description;
    }
  }

  private static Case malformed(String description, byte[] bytes) {
    return new Case(description, bytes, ReasonCode.MALFORMED_PACKET);
  }

  /** A QoS 0 MQTT 5 PUBLISH: a topic field as given, a property block, the payload "x". */
  private static byte[] publish(byte[] topicField, byte[] properties) {
    return RawClient.frame(0x30, concat(topicField, bytes(properties.length), properties, bytes('x')));
  }

  private static byte[] userProperty(byte[] nameField, byte[] valueField) {
    return concat(bytes(0x26), nameField, valueField);
  }

  /** An MQTT 5 SUBSCRIBE, packet id 1, no properties, one filter field as given, QoS 0. */
  private static byte[] subscribe(byte[] filterField) {
    return RawClient.frame(0x82, concat(bytes(0, 1, 0), filterField, bytes(0)));
  }

  /** An MQTT 5 UNSUBSCRIBE, packet id 1, no properties, one filter field as given. */
  private static byte[] unsubscribe(byte[] filterField) {
    return RawClient.frame(0xA2, concat(bytes(0, 1, 0), filterField));
  }

  static Stream<Case> malformedStrings() {
    byte[] noProperties = bytes();
    return Stream.of(
        malformed("U+0000 in a topic name [MQTT-1.5.4-2, MQTT-4.7.3-2]", publish(field('a', 0, 'b'), noProperties)),
        malformed("U+0000 in a User Property value [MQTT-1.5.4-2]",
            publish(string("t"), userProperty(string("k"), field('v', 0)))),
        malformed("U+0000 in a topic filter in SUBSCRIBE [MQTT-4.7.3-2]", subscribe(field('a', 0))),
        malformed("U+0000 in a topic filter in UNSUBSCRIBE [MQTT-4.7.3-2]", unsubscribe(field('a', 0))),
        malformed("topic name not UTF-8 [MQTT-3.3.2-1]", publish(field(0xC3, 0x28), noProperties)),
        malformed("topic name with an encoded surrogate [MQTT-3.3.2-1]",
            publish(field('t', 0xED, 0xA0, 0x80), noProperties)),
        malformed("User Property name not UTF-8 [MQTT-1.5.7-1]",
            publish(string("t"), userProperty(field(0xFF), string("v")))),
        malformed("User Property value not UTF-8 (overlong U+0000) [MQTT-1.5.7-1]",
            publish(string("t"), userProperty(string("k"), field(0xC0, 0x80)))),
        malformed("Response Topic not UTF-8 [MQTT-3.3.2-13]",
            publish(string("t"), concat(bytes(0x08), field('r', 0xFE)))),
        malformed("Content Type not UTF-8 [MQTT-3.3.2-19]",
            publish(string("t"), concat(bytes(0x03), field(0xED, 0xA0, 0x80)))),
        malformed("topic filter not UTF-8 in SUBSCRIBE [MQTT-3.8.3-1]", subscribe(field('f', 0xC3))),
        malformed("topic filter not UTF-8 in UNSUBSCRIBE [MQTT-3.10.3-1]", unsubscribe(field('f', 0xC3))),
        malformed("+ sharing its level in SUBSCRIBE [MQTT-4.7.1-2]", subscribe(string("a+/b"))),
        malformed("+ sharing its level in UNSUBSCRIBE [MQTT-4.7.1-2]", unsubscribe(string("a/+b"))),
        malformed("empty topic filter in SUBSCRIBE [MQTT-4.7.3-1]", subscribe(field())),
        malformed("empty topic filter in UNSUBSCRIBE [MQTT-4.7.3-1]", unsubscribe(field())));
  }

  /**
   * Sends {@code bytes} on an accepted MQTT 5 connection and checks the broker's answer: a
   * DISCONNECT with the expected reason code, then the close [MQTT-4.13.1-1].
   */
  static void assertDisconnectedFor(Broker broker, byte[] bytes, ReasonCode expected) throws IOException {
    try (RawClient offender = new RawClient(broker)) {
      offender.send5(new Connect("MQTT", 5, true, 0, "offender", null, null, null, Properties.EMPTY));
      RawClient.Frame connAck = offender.read();
      assertThat(connAck.type()).isEqualTo(PacketType.CONNACK);
      assertThat(connAck.body()[1]).as("CONNACK reason code").isZero();

      offender.send(bytes);
      RawClient.Frame disconnect = offender.read();
      assertThat(disconnect.type()).as("DISCONNECT").isEqualTo(PacketType.DISCONNECT);
      assertThat(disconnect.body()[0] & 0xFF).as("reason code").isEqualTo(expected.value());
      assertThat(offender.closedByBroker()).as("closed after the DISCONNECT").isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedStrings")
  void aPacketWithAnIllegalStringOrFilterIsMalformed(Case offence) throws Exception {
    RawMqtt5Client watcher = rawMqtt5("watcher");
    watcher.subscribe(1, "#", 0);

    assertDisconnectedFor(broker, offence.bytes(), offence.expected());

    // nothing of it was published, and the broker goes on serving others
    rawMqtt5("marker").publish("marker", 0, 0, "after");
    assertThat(((Publish) watcher.read(PacketType.PUBLISH)).topic()).isEqualTo("marker");
  }

  private static String payload(Publish publish) {
    return new String(publish.payload(), StandardCharsets.UTF_8);
  }

  private static Publish next(RawMqtt5Client client) throws IOException {
    Publish publish = (Publish) client.read(PacketType.PUBLISH);
    if (publish.qos() == 1) {
      client.send(new PubAck(publish.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    }
    return publish;
  }

  private static void assertQuiet(RawMqtt5Client client) throws IOException {
    Optional<Packet> extra = client.poll(QUIET);
    assertThat(extra).as("a packet the broker should not have sent").isEmpty();
  }

  /** Publishes QoS 1 messages named by their topics, each with these properties, through one client. */
  private void publishTo(Properties properties, String... topics) throws IOException {
    try (RawMqtt5Client publisher = RawMqtt5Client.connected(broker,
        RawMqtt5Client.connectPacket("publisher", true, 60, Properties.EMPTY))) {
      int id = 1;
      for (String topic : topics) {
        publisher.publishAndComplete(new Publish(topic, 1, false, false, id++,
            topic.getBytes(StandardCharsets.UTF_8), properties));
      }
    }
  }

  private static List<String> topicsReceived(RawMqtt5Client client, int count) throws IOException {
    List<String> topics = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Publish publish = next(client);
      assertThat(payload(publish)).as("the topic it was published to").isEqualTo(publish.topic());
      topics.add(publish.topic());
    }
    assertQuiet(client);
    return topics;
  }

  @Test
  void aByteOrderMarkIsKeptWhereverItStands_MQTT_1_5_4_3() throws Exception {
    RawMqtt5Client withMark = rawMqtt5("with-mark");
    withMark.subscribe(1, "\uFEFFbom/#", 1);
    RawMqtt5Client withoutMark = rawMqtt5("without-mark");
    withoutMark.subscribe(1, "bom/#", 1);
    Properties properties = Properties.builder().contentType("\uFEFFtext/plain")
        .userProperty("\uFEFFkey", "value\uFEFF").responseTopic("re/\uFEFF").build();

    publishTo(properties, "\uFEFFbom/a");

    Publish received = next(withMark);
    assertThat(received.topic()).isEqualTo("\uFEFFbom/a");
    assertThat(received.topic().getBytes(StandardCharsets.UTF_8)).startsWith(0xEF, 0xBB, 0xBF);
    assertThat(received.properties().contentType()).isEqualTo("\uFEFFtext/plain");
    assertThat(received.properties().userProperties())
        .containsExactly(new Properties.UserProperty("\uFEFFkey", "value\uFEFF"));
    assertThat(received.properties().responseTopic()).isEqualTo("re/\uFEFF");
    assertQuiet(withoutMark); // not stripped: "\uFEFFbom/a" is not "bom/a"
  }

  @Test
  void theTopicNameSentMatchesTheFilterAndPlusMatchesExactlyOneLevel_MQTT_3_3_2_3_MQTT_4_7_1_2() throws Exception {
    Map<String, List<String>> expected = Map.of(
        "sport/+/player1", List.of("sport/tennis/player1", "sport//player1"),
        "+", List.of("sport"),
        "sport/+", List.of("sport/player1", "sport/"),
        "+/+", List.of("sport/player1", "/sport", "sport/"),
        "sport/tennis/#", List.of("sport/tennis/player1", "sport/tennis/player2", "sport/tennis/x/player1"));
    Map<String, RawMqtt5Client> subscribers = new java.util.LinkedHashMap<>();
    int n = 0;
    for (String filter : expected.keySet()) {
      RawMqtt5Client subscriber = rawMqtt5("match-" + n++);
      subscriber.subscribe(1, filter, 1);
      subscribers.put(filter, subscriber);
    }

    publishTo(Properties.EMPTY, "sport/tennis/player1", "sport/tennis/player2", "sport/tennis/x/player1",
        "sport/player1", "sport", "/sport", "sport/", "sport//player1");

    for (Map.Entry<String, RawMqtt5Client> entry : subscribers.entrySet()) {
      List<String> wanted = expected.get(entry.getKey());
      assertThat(topicsReceived(entry.getValue(), wanted.size())).as("topics sent for %s", entry.getKey())
          .containsExactlyElementsOf(wanted);
    }
  }

  @Test
  void matchingNeitherNormalizesNorReplacesCharacters_MQTT_4_7_3_4() throws Exception {
    RawMqtt5Client composed = rawMqtt5("composed");
    composed.subscribe(1, "caf\u00E9", 1); // é as one code point
    RawMqtt5Client ascii = rawMqtt5("ascii");
    ascii.subscribe(1, "cafe", 1);
    RawMqtt5Client unassigned = rawMqtt5("unassigned");
    unassigned.subscribe(1, "x/\u0378", 1); // a code point Unicode has not assigned
    RawMqtt5Client replacement = rawMqtt5("replacement");
    replacement.subscribe(1, "x/\uFFFD", 1);

    publishTo(Properties.EMPTY,
        "cafe\u0301", // e and a combining acute accent: the same text once normalized
        "CAF\u00C9", "caf\u00E9 ",
        "\uFF43\uFF41\uFF46\uFF45", // full-width letters, "cafe" under compatibility normalization
        "caf\u00E9", "cafe", "x/\u0378");

    assertThat(topicsReceived(composed, 1)).containsExactly("caf\u00E9");
    assertThat(topicsReceived(ascii, 1)).containsExactly("cafe");
    assertThat(topicsReceived(unassigned, 1)).containsExactly("x/\u0378");
    assertQuiet(replacement);
  }

  @Test
  void topicNamesAndFiltersOf65535BytesAreAccepted_MQTT_4_7_3_3() throws Exception {
    String ascii = "a".repeat(65_535);
    String euros = "\u20AC".repeat(21_845); // three bytes each: 65,535 bytes in 21,845 characters
    assertThat(euros.getBytes(StandardCharsets.UTF_8)).hasSize(65_535);
    RawMqtt5Client subscriber = rawMqtt5("long-topics");
    subscriber.subscribe(1, ascii, 1);
    subscriber.subscribe(2, euros, 1);

    publishTo(Properties.EMPTY, ascii, euros);

    assertThat(topicsReceived(subscriber, 2)).containsExactly(ascii, euros);
  }
}
