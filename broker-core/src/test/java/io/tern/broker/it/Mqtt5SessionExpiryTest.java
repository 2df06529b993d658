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
import io.tern.broker.admin.SessionInfo;
import io.tern.broker.core.codec.ConnAck;
import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.Disconnect;
import io.tern.broker.core.codec.PacketType;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.PubAck;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.core.store.memory.MemorySessionStore;
import io.tern.broker.message.ReasonCode;
import io.tern.broker.spi.store.StoredSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MQTT 5 Clean Start and Session Expiry Interval: which sessions outlive their connection, for how
 * long, what they keep meanwhile, and how a DISCONNECT changes that.
 */
@Timeout(30)
class Mqtt5SessionExpiryTest {
  private final MemorySessionStore store = new MemorySessionStore();
  private Broker broker;

  private void start(UnaryOperator<BrokerBuilder> settings) {
    broker = TestBrokers.start(b -> settings.apply(b.sessionStore(store)));
  }

  private void start() {
    start(b -> b);
  }

  @AfterEach
  void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  /** A CONNECT with a Session Expiry Interval, or none when {@code expiry} is null. */
  private static Connect connect(String clientId, boolean cleanStart, Long expiry) {
    Properties properties = expiry == null ? Properties.EMPTY
        : Properties.builder().sessionExpiryInterval(expiry).build();
    return RawMqtt5Client.connectPacket(clientId, cleanStart, 30, properties);
  }

  private Optional<SessionInfo> session(String clientId) {
    return broker.admin().session(clientId).toCompletableFuture().join();
  }

  private boolean stored(String clientId) {
    return store.loadAll().toCompletableFuture().join().stream()
        .map(StoredSession::clientId).anyMatch(clientId::equals);
  }

  private static Disconnect disconnect(Long expiry) {
    return new Disconnect(ReasonCode.SUCCESS, expiry == null ? Properties.EMPTY
        : Properties.builder().sessionExpiryInterval(expiry).build());
  }

  private void publish(String clientId, String topic, String... payloads) throws Exception {
    try (RawMqtt5Client publisher = RawMqtt5Client.connected(broker, connect(clientId, true, null))) {
      int id = 1;
      for (String payload : payloads) {
        publisher.publish(topic, 1, id++, payload);
      }
    }
  }

  private static String payload(Publish publish) {
    return new String(publish.payload(), StandardCharsets.UTF_8);
  }

  @Test
  void cleanStart0WithoutASessionStartsOneWithSessionPresent0_MQTT_3_1_2_6_MQTT_3_2_2_3() throws Exception {
    start();
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      ConnAck ack = client.connect(connect("fresh", false, 60L));
      assertThat(ack.sessionPresent()).isFalse();
      assertThat(session("fresh")).hasValueSatisfying(s -> assertThat(s.persistent()).isTrue());
      assertThat(stored("fresh")).isTrue();
    }
  }

  @Test
  void aSessionWithExpiryKeepsSubscriptionsAndQueuedMessagesWhileDisconnected_MQTT_3_1_2_5_MQTT_3_1_2_23()
      throws Exception {
    start();
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("keeper", false, 60L))) {
      client.subscribe(1, "q/#", 1);
      client.send(disconnect(null));
    }
    await().untilAsserted(() -> assertThat(session("keeper"))
        .hasValueSatisfying(s -> assertThat(s.connected()).isFalse()));

    publish("publisher", "q/a", "one", "two", "three");
    await().untilAsserted(() -> assertThat(session("keeper"))
        .hasValueSatisfying(s -> assertThat(s.queuedMessages()).isEqualTo(3)));

    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      assertThat(client.connect(connect("keeper", false, 60L)).sessionPresent()).isTrue();
      List<String> received = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Publish publish = (Publish) client.read(PacketType.PUBLISH);
        assertThat(publish.qos()).isEqualTo(1);
        received.add(payload(publish));
        client.send(new PubAck(publish.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
      }
      assertThat(received).containsExactly("one", "two", "three");
      // the subscription came back with the session
      publish("publisher", "q/b", "four");
      assertThat(payload((Publish) client.read(PacketType.PUBLISH))).isEqualTo("four");
    }
  }

  @Test
  void hiveMqAndPahoResumeASessionWithItsQueuedMessages_MQTT_3_1_2_5() throws Exception {
    start();
    Mqtt5BlockingClient subscriber = Mqtt5Client.builder().identifier("hive-keeper").serverHost("127.0.0.1")
        .serverPort(broker.port()).buildBlocking();
    subscriber.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
    subscriber.subscribeWith().topicFilter("hq/#").qos(MqttQos.AT_LEAST_ONCE).send();
    subscriber.disconnect();

    MqttClient paho = new MqttClient(TestBrokers.uri(broker), "paho-publisher", new MemoryPersistence());
    paho.connect(new MqttConnectionOptions());
    for (int i = 1; i <= 3; i++) {
      paho.publish("hq/" + i, ("m" + i).getBytes(StandardCharsets.UTF_8), 1, false);
    }
    paho.disconnect();
    paho.close();

    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
      assertThat(subscriber.connectWith().cleanStart(false).sessionExpiryInterval(60).send().isSessionPresent())
          .isTrue();
      List<String> received = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Optional<Mqtt5Publish> publish = publishes.receive(10, TimeUnit.SECONDS);
        assertThat(publish).isPresent();
        received.add(new String(publish.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
      }
      assertThat(received).containsExactly("m1", "m2", "m3");
    } finally {
      subscriber.disconnect();
    }
  }

  @Test
  void aSessionWithExpiry0EndsWithItsConnection() throws Exception {
    start();
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("brief", false, null))) {
      client.subscribe(1, "b/#", 1);
      assertThat(stored("brief")).isFalse();
      client.send(disconnect(null));
    }
    await().until(() -> session("brief").isEmpty());
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      assertThat(client.connect(connect("brief", false, null)).sessionPresent()).isFalse();
      assertThat(session("brief")).hasValueSatisfying(s -> assertThat(s.subscriptions()).isEmpty());
    }
  }

  @Test
  void aSessionWithExpiry0EndsAlsoWhenTheConnectionIsLost() throws Exception {
    start();
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("lost", false, 0L))) {
      client.subscribe(1, "l/#", 1);
    } // the socket closes without DISCONNECT
    await().until(() -> session("lost").isEmpty());
  }

  @Test
  void aSessionExpiresOnceItsIntervalHasPassedWithoutAConnection() throws Exception {
    start();
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("mayfly", false, 2L))) {
      client.subscribe(1, "m/#", 1);
      client.send(disconnect(null));
    }
    await().atLeast(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(6))
        .until(() -> session("mayfly").isEmpty());
    assertThat(stored("mayfly")).isFalse();
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      assertThat(client.connect(connect("mayfly", false, 2L)).sessionPresent()).isFalse();
    }
  }

  @Test
  void aReconnectWithinTheIntervalResumesTheSessionAndStopsItsExpiry() throws Exception {
    start();
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("returner", false, 1L))) {
      client.send(disconnect(null));
    }
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      assertThat(client.connect(connect("returner", false, 1L)).sessionPresent()).isTrue();
      // connected for longer than the interval: the session stays
      await().pollDelay(Duration.ofMillis(500)).during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(5))
          .until(() -> session("returner").isPresent());
    }
  }

  @Test
  void disconnectWithExpiry0EndsAPersistentSession() throws Exception {
    start();
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("quitter", false, 60L))) {
      client.subscribe(1, "x/#", 1);
      assertThat(stored("quitter")).isTrue();
      client.send(disconnect(0L));
      assertThat(client.closedByBroker()).isTrue();
    }
    await().until(() -> session("quitter").isEmpty());
    assertThat(stored("quitter")).as("still in the session store").isFalse();
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      assertThat(client.connect(connect("quitter", false, 60L)).sessionPresent()).isFalse();
    }
  }

  @Test
  void disconnectCanShortenTheExpiry() throws Exception {
    start();
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("shortened", false, 3600L))) {
      client.send(disconnect(1L));
    }
    await().atLeast(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> session("shortened").isEmpty());
  }

  @Test
  void disconnectSettingAnExpiryAfterConnectSetNoneIsAProtocolErrorAnsweredWith0x82() throws Exception {
    start();
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("sneaky", false, null))) {
      client.send(disconnect(60L));
      Disconnect answer = client.readDisconnect();
      assertThat(answer.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
      assertThat(answer.properties().sessionExpiryInterval()).isNull(); // [MQTT-3.14.2-2]
      assertThat(client.closedByBroker()).isTrue();
    }
    // the session did not become persistent
    await().until(() -> session("sneaky").isEmpty());
    assertThat(stored("sneaky")).isFalse();
  }

  @Test
  void cleanStart1DiscardsAnExistingSession_MQTT_3_1_2_4_MQTT_3_2_2_2() throws Exception {
    start();
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("restarter", false, 60L))) {
      client.subscribe(1, "old/#", 1);
      client.send(disconnect(null));
    }
    publish("publisher", "old/queued", "stale");
    await().untilAsserted(() -> assertThat(session("restarter"))
        .hasValueSatisfying(s -> assertThat(s.queuedMessages()).isEqualTo(1)));

    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      assertThat(client.connect(connect("restarter", true, 60L)).sessionPresent()).isFalse();
      client.subscribe(1, "new/#", 1);
      publish("publisher", "old/again", "old subscription");
      publish("publisher", "new/x", "fresh");
      // neither the queued message nor the old subscription's survived
      Publish first = (Publish) client.read(PacketType.PUBLISH);
      assertThat(payload(first)).isEqualTo("fresh");
      assertThat(session("restarter")).hasValueSatisfying(s ->
          assertThat(s.subscriptions()).containsOnlyKeys("new/#"));
    }
  }

  @Test
  void theLoweredExpiryIsTheOneInForce() throws Exception {
    start(b -> b.maxSessionExpiry(Duration.ofSeconds(1)));
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      ConnAck ack = client.connect(connect("capped", false, 3600L));
      assertThat(ack.properties().sessionExpiryInterval()).isEqualTo(1L);
      client.send(disconnect(null));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> session("capped").isEmpty());
  }

  @Test
  void qos0IsNotQueuedForADisconnectedSessionButQos1Is() throws Exception {
    start();
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("mixed", false, 60L))) {
      client.subscribe(1, "mix/#", 1);
      client.send(disconnect(null));
    }
    await().until(() -> session("mixed").map(s -> !s.connected()).orElse(false));
    try (RawMqtt5Client publisher = RawMqtt5Client.connected(broker, connect("pub", true, null))) {
      publisher.publish("mix/a", 0, 0, "qos0");
      publisher.publish("mix/a", 1, 1, "qos1");
    }
    try (RawMqtt5Client client = new RawMqtt5Client(broker)) {
      assertThat(client.connect(connect("mixed", false, 60L)).sessionPresent()).isTrue();
      assertThat(payload((Publish) client.read(PacketType.PUBLISH))).isEqualTo("qos1");
    }
  }
}
