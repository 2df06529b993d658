package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tern.broker.Broker;
import io.tern.broker.BrokerBuilder;
import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.Disconnect;
import io.tern.broker.core.codec.Packet;
import io.tern.broker.core.codec.PacketType;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.PubAck;
import io.tern.broker.core.codec.PubComp;
import io.tern.broker.core.codec.PubRec;
import io.tern.broker.core.codec.PubRel;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.message.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MQTT 5 flow control both ways: Receive Maximum (unacknowledged QoS 1 and 2 messages) and
 * Maximum Packet Size, as announced by the client and as configured on the broker.
 */
@Timeout(30)
class Mqtt5FlowControlTest {
  /** Long enough for a packet the broker should not send to have arrived. */
  private static final Duration QUIET = Duration.ofMillis(700);

  private Broker broker;

  private void start(UnaryOperator<BrokerBuilder> settings) {
    broker = TestBrokers.start(settings);
  }

  @AfterEach
  void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private static Connect connect(String clientId, Properties properties) {
    return RawMqtt5Client.connectPacket(clientId, true, 30, properties);
  }

  private RawMqtt5Client subscriber(String clientId, Properties properties, String filter, int qos)
      throws Exception {
    RawMqtt5Client client = RawMqtt5Client.connected(broker, connect(clientId, properties));
    client.subscribe(1, filter, qos);
    return client;
  }

  /** Publishes through a client of its own, which waits for each acknowledgement. */
  private void publish(String topic, int qos, String... payloads) throws Exception {
    try (RawMqtt5Client publisher = RawMqtt5Client.connected(broker, connect("publisher", Properties.EMPTY))) {
      int id = 1;
      for (String payload : payloads) {
        publishOne(publisher, topic, qos, id++, payload.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static void publishOne(RawMqtt5Client publisher, String topic, int qos, int id, byte[] payload)
      throws Exception {
    publisher.send(new Publish(topic, qos, false, false, id, payload, Properties.EMPTY));
    if (qos == 1) {
      publisher.read(PacketType.PUBACK);
    } else if (qos == 2) {
      publisher.read(PacketType.PUBREC);
      publisher.send(new PubRel(id, ReasonCode.SUCCESS, Properties.EMPTY));
      publisher.read(PacketType.PUBCOMP);
    }
  }

  private static Publish nextPublish(RawMqtt5Client client) throws Exception {
    return (Publish) client.read(PacketType.PUBLISH);
  }

  private static String payload(Publish publish) {
    return new String(publish.payload(), StandardCharsets.UTF_8);
  }

  private static void assertQuiet(RawMqtt5Client client) throws Exception {
    Optional<Packet> extra = client.poll(QUIET);
    assertThat(extra).as("a packet beyond the client's window").isEmpty();
  }

  private static Properties receiveMaximum(int value) {
    return Properties.builder().receiveMaximum(value).build();
  }

  @Test
  void theBrokerSendsNoMoreQos1MessagesThanTheClientsReceiveMaximum_MQTT_3_3_4_9() throws Exception {
    start(b -> b);
    try (RawMqtt5Client client = subscriber("small-window", receiveMaximum(2), "rm/#", 1)) {
      publish("rm/a", 1, "1", "2", "3", "4", "5");
      Publish first = nextPublish(client);
      Publish second = nextPublish(client);
      assertThat(List.of(payload(first), payload(second))).containsExactly("1", "2");
      assertQuiet(client);

      // each acknowledgement lets exactly one more through
      client.send(new PubAck(first.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
      Publish third = nextPublish(client);
      assertThat(payload(third)).isEqualTo("3");
      assertQuiet(client);

      List<String> rest = new ArrayList<>();
      for (Publish unacknowledged : List.of(second, third)) {
        client.send(new PubAck(unacknowledged.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        Publish next = nextPublish(client);
        rest.add(payload(next));
        client.send(new PubAck(next.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
      }
      assertThat(rest).containsExactly("4", "5");
      assertQuiet(client);
    }
  }

  @Test
  void aQos2MessageHoldsItsPlaceInTheWindowUntilPubComp_MQTT_3_3_4_9() throws Exception {
    start(b -> b);
    try (RawMqtt5Client client = subscriber("qos2-window", receiveMaximum(1), "rm2/#", 2)) {
      publish("rm2/a", 2, "1", "2", "3");
      Publish first = nextPublish(client);
      assertThat(payload(first)).isEqualTo("1");
      client.send(new PubRec(first.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
      assertThat(((PubRel) client.read(PacketType.PUBREL)).packetId()).isEqualTo(first.packetId());
      assertQuiet(client); // PUBREC alone does not free the place

      client.send(new PubComp(first.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
      Publish second = nextPublish(client);
      assertThat(payload(second)).isEqualTo("2");
      assertQuiet(client);

      // a PUBREC with an error code ends the exchange and frees the place too
      client.send(new PubRec(second.packetId(), ReasonCode.UNSPECIFIED_ERROR, Properties.EMPTY));
      assertThat(payload(nextPublish(client))).isEqualTo("3");
    }
  }

  @Test
  void messagesResentOnReconnectAlsoStayWithinTheNewReceiveMaximum_MQTT_3_3_4_9() throws Exception {
    start(b -> b);
    Properties wide = Properties.builder().sessionExpiryInterval(60).receiveMaximum(10).build();
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker,
        RawMqtt5Client.connectPacket("resumer", true, 30, wide))) {
      client.subscribe(1, "re/#", 1);
      publish("re/a", 1, "1", "2", "3", "4");
      for (int i = 0; i < 4; i++) {
        nextPublish(client); // received, never acknowledged
      }
    }
    await().untilAsserted(() -> assertThat(broker.admin().session("resumer").toCompletableFuture().join())
        .hasValueSatisfying(s -> assertThat(s.connected()).isFalse()));

    Properties narrow = Properties.builder().sessionExpiryInterval(60).receiveMaximum(2).build();
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker,
        RawMqtt5Client.connectPacket("resumer", false, 30, narrow))) {
      Publish first = nextPublish(client);
      Publish second = nextPublish(client);
      assertThat(List.of(payload(first), payload(second))).containsExactly("1", "2");
      assertThat(first.dup()).isTrue();
      assertQuiet(client);
      List<String> rest = new ArrayList<>();
      for (Publish unacknowledged : List.of(first, second)) {
        client.send(new PubAck(unacknowledged.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        rest.add(payload(nextPublish(client)));
      }
      assertThat(rest).containsExactly("3", "4");
    }
  }

  @Test
  void hiveMqWithASmallReceiveMaximumGetsEveryMessage() throws Exception {
    start(b -> b);
    Mqtt5BlockingClient subscriber = Mqtt5Client.builder().identifier("hive-window").serverHost("127.0.0.1")
        .serverPort(broker.port()).buildBlocking();
    subscriber.connectWith().restrictions().receiveMaximum(1).applyRestrictions().send();
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
      subscriber.subscribeWith().topicFilter("hw/#").qos(MqttQos.EXACTLY_ONCE).send();
      String[] payloads = new String[20];
      for (int i = 0; i < payloads.length; i++) {
        payloads[i] = "m" + i;
      }
      publish("hw/a", 2, payloads);
      List<String> received = new ArrayList<>();
      for (int i = 0; i < payloads.length; i++) {
        Optional<Mqtt5Publish> publish = publishes.receive(10, TimeUnit.SECONDS);
        assertThat(publish).as("message %d", i).isPresent();
        received.add(new String(publish.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
      }
      assertThat(received).containsExactly(payloads);
      assertThat(subscriber.getState().isConnected()).isTrue();
    } finally {
      subscriber.disconnect();
    }
  }

  @Test
  void qos2MessagesAwaitingPubrelBeyondTheBrokersReceiveMaximumAreDisconnectedWith0x93() throws Exception {
    start(b -> b.receiveMaximum(2));
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("greedy", Properties.EMPTY))) {
      for (int id = 1; id <= 2; id++) {
        client.send(new Publish("g/a", 2, false, false, id, new byte[] {1}, Properties.EMPTY));
        assertThat(((PubRec) client.read(PacketType.PUBREC)).packetId()).isEqualTo(id);
      }
      client.send(new Publish("g/a", 2, false, false, 3, new byte[] {1}, Properties.EMPTY));
      assertThat(client.readDisconnect().reasonCode()).isEqualTo(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
      assertThat(client.closedByBroker()).isTrue();
    }
  }

  @Test
  void aPubrelFreesAPlaceInTheBrokersReceiveMaximum() throws Exception {
    start(b -> b.receiveMaximum(1));
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("polite", Properties.EMPTY))) {
      for (int id = 1; id <= 5; id++) {
        publishOne(client, "p/a", 2, id, new byte[] {1});
      }
      // QoS 1 is acknowledged at once and never counts
      for (int id = 6; id <= 10; id++) {
        client.send(new Publish("p/a", 1, false, false, id, new byte[] {1}, Properties.EMPTY));
      }
      for (int id = 6; id <= 10; id++) {
        assertThat(((PubAck) client.read(PacketType.PUBACK)).packetId()).isEqualTo(id);
      }
      assertQuiet(client);
    }
  }

  @Test
  void aMessageLargerThanTheClientsMaximumPacketSizeIsDroppedAndCounted_MQTT_3_1_2_24_MQTT_3_1_2_25()
      throws Exception {
    start(b -> b);
    // a window of one: a dropped QoS 1 message that stayed in flight would block the next
    Properties limits = Properties.builder().maximumPacketSize(128).receiveMaximum(1).build();
    try (RawMqtt5Client client = subscriber("small-packets", limits, "mps/#", 1)) {
      long droppedBefore = broker.admin().metrics().droppedTooLarge();
      publish("mps/a", 1, "x".repeat(200), "small one", "y".repeat(200), "small two");
      Publish first = nextPublish(client);
      assertThat(client.lastPacketSize()).isLessThanOrEqualTo(128);
      assertThat(payload(first)).isEqualTo("small one");
      client.send(new PubAck(first.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
      Publish second = nextPublish(client);
      assertThat(client.lastPacketSize()).isLessThanOrEqualTo(128);
      assertThat(payload(second)).isEqualTo("small two");
      client.send(new PubAck(second.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
      assertQuiet(client);
      assertThat(broker.admin().metrics().droppedTooLarge() - droppedBefore).isEqualTo(2);
    }
  }

  @Test
  void aPacketOfExactlyTheClientsMaximumPacketSizeIsSent_MQTT_3_1_2_24() throws Exception {
    start(b -> b);
    Properties limits = Properties.builder().maximumPacketSize(64).build();
    try (RawMqtt5Client client = subscriber("exact", limits, "ex", 0)) {
      // QoS 0 PUBLISH to "ex" without properties: 2 header bytes + 2 + 2 topic + 1 property length
      String fits = "f".repeat(64 - 7);
      publish("ex", 0, fits + "!", fits);
      Publish delivered = nextPublish(client);
      assertThat(client.lastPacketSize()).isEqualTo(64);
      assertThat(payload(delivered)).isEqualTo(fits);
    }
  }

  @Test
  void hiveMqWithASmallMaximumPacketSizeGetsTheMessagesThatFit() throws Exception {
    start(b -> b);
    Mqtt5BlockingClient subscriber = Mqtt5Client.builder().identifier("hive-small").serverHost("127.0.0.1")
        .serverPort(broker.port()).buildBlocking();
    subscriber.connectWith().restrictions().maximumPacketSize(100).applyRestrictions().send();
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
      subscriber.subscribeWith().topicFilter("hs/#").qos(MqttQos.AT_LEAST_ONCE).send();
      publish("hs/a", 1, "z".repeat(500), "fits");
      Optional<Mqtt5Publish> received = publishes.receive(10, TimeUnit.SECONDS);
      assertThat(received).isPresent();
      assertThat(new String(received.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("fits");
      assertThat(subscriber.getState().isConnected()).isTrue();
    } finally {
      subscriber.disconnect();
    }
  }

  @Test
  void aPacketLargerThanTheBrokersMaximumPacketSizeIsDisconnectedWith0x95() throws Exception {
    start(b -> b.maxPacketSize(1024));
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("big-sender", Properties.EMPTY))) {
      // QoS 1 PUBLISH to "big": 1 + 2 (remaining length) + 2 + 3 topic + 2 packet id + 1 property length
      int overhead = 11;
      client.send(new Publish("big", 1, false, false, 1, new byte[1024 - overhead], Properties.EMPTY));
      assertThat(((PubAck) client.read(PacketType.PUBACK)).packetId()).isEqualTo(1);
      client.send(new Publish("big", 1, false, false, 2, new byte[1025 - overhead], Properties.EMPTY));
      Disconnect disconnect = client.readDisconnect();
      assertThat(disconnect.reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
      assertThat(client.closedByBroker()).isTrue();
    }
  }
}
