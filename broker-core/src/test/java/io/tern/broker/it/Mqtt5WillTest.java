package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tern.broker.Broker;
import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.Disconnect;
import io.tern.broker.core.codec.Packet;
import io.tern.broker.core.codec.PacketType;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.message.ReasonCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MQTT 5 wills: their properties, the DISCONNECT reason codes that keep or discard them, and the
 * Will Delay Interval against reconnection and session expiry.
 */
@Timeout(30)
class Mqtt5WillTest {
  /** Longer than the two-second will delays used here, so that a will published late is seen. */
  private static final Duration PAST_THE_DELAY = Duration.ofMillis(3000);

  private Broker broker;
  private RawMqtt5Client watcher;

  @BeforeEach
  void start() throws Exception {
    broker = TestBrokers.start();
    watcher = RawMqtt5Client.connected(broker,
        RawMqtt5Client.connectPacket("watcher", true, 60, Properties.EMPTY));
    watcher.subscribe(1, "wills/#", 1);
  }

  @AfterEach
  void stop() throws Exception {
    watcher.close();
    broker.close();
  }

  private static Connect.Will will(String topic, Properties properties) {
    return new Connect.Will(topic, "gone".getBytes(StandardCharsets.UTF_8), 1, false, properties);
  }

  /** Connects a client with a will and the given Session Expiry Interval (none when null). */
  private RawMqtt5Client connectWithWill(String clientId, boolean cleanStart, Long sessionExpiry, Connect.Will will)
      throws Exception {
    Properties properties = sessionExpiry == null ? Properties.EMPTY
        : Properties.builder().sessionExpiryInterval(sessionExpiry).build();
    return RawMqtt5Client.connected(broker,
        RawMqtt5Client.connectPacket(clientId, cleanStart, 60, properties, will));
  }

  private static Properties willDelay(long seconds) {
    return Properties.builder().willDelayInterval(seconds).build();
  }

  private Publish nextWill() throws Exception {
    return (Publish) watcher.read(PacketType.PUBLISH);
  }

  /** Publishes a marker that, arriving first, shows that no will came before it. */
  private void publishMarker() throws Exception {
    try (RawMqtt5Client marker = RawMqtt5Client.connected(broker,
        RawMqtt5Client.connectPacket("marker", true, 60, Properties.EMPTY))) {
      marker.publish("wills/marker", 1, 1, "marker");
    }
  }

  @Test
  void willPropertiesReachTheSubscriber_MQTT_3_1_3_10() throws Exception {
    Properties properties = Properties.builder()
        .payloadFormatIndicator(1)
        .contentType("text/plain")
        .responseTopic("replies/dying")
        .correlationData(new byte[] {1, 2, 3})
        .userProperty("a", "1")
        .userProperty("b", "2")
        .userProperty("a", "3")
        .messageExpiryInterval(120)
        .build();
    Mqtt5BlockingClient subscriber = Mqtt5Client.builder().identifier("hive-watcher").serverHost("127.0.0.1")
        .serverPort(broker.port()).buildBlocking();
    subscriber.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
      subscriber.subscribeWith().topicFilter("wills/#").qos(MqttQos.AT_LEAST_ONCE).send();
      connectWithWill("dying", true, null, will("wills/dying", properties)).close(); // no DISCONNECT

      Optional<Mqtt5Publish> received = publishes.receive(10, TimeUnit.SECONDS);
      assertThat(received).isPresent();
      Mqtt5Publish will = received.get();
      assertThat(will.getTopic().toString()).isEqualTo("wills/dying");
      assertThat(new String(will.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("gone");
      assertThat(will.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
      assertThat(will.getPayloadFormatIndicator()).contains(Mqtt5PayloadFormatIndicator.UTF_8);
      assertThat(will.getContentType().map(Object::toString)).contains("text/plain");
      assertThat(will.getResponseTopic().map(Object::toString)).contains("replies/dying");
      assertThat(will.getCorrelationData()).contains(ByteBuffer.wrap(new byte[] {1, 2, 3}));
      assertThat(will.getUserProperties().asList())
          .extracting(p -> p.getName().toString(), p -> p.getValue().toString())
          .containsExactly(tuple("a", "1"), tuple("b", "2"), tuple("a", "3"));
      assertThat(will.getMessageExpiryInterval()).isPresent();
      assertThat(will.getMessageExpiryInterval().getAsLong()).isBetween(1L, 120L);
    } finally {
      subscriber.disconnect();
    }
  }

  @Test
  void aPahoWillWithPropertiesReachesTheSubscriber() throws Exception {
    MqttClient paho = new MqttClient(TestBrokers.uri(broker), "paho-dying", new MemoryPersistence());
    MqttConnectionOptions options = new MqttConnectionOptions();
    MqttProperties willProperties = new MqttProperties();
    willProperties.setContentType("application/json");
    willProperties.setUserProperties(java.util.List.of(new UserProperty("state", "offline")));
    options.setWillMessageProperties(willProperties);
    options.setWill("wills/paho", new MqttMessage("{}".getBytes(StandardCharsets.UTF_8), 1, false, null));
    paho.connect(options);
    paho.disconnectForcibly(0, 0, false); // the socket closes without DISCONNECT
    paho.close(true);

    Publish will = nextWill();
    assertThat(will.topic()).isEqualTo("wills/paho");
    assertThat(will.properties().contentType()).isEqualTo("application/json");
    assertThat(will.properties().userProperties())
        .containsExactly(new Properties.UserProperty("state", "offline"));
    // the Will Delay Interval is a property of the will, not of the message
    assertThat(will.properties().willDelayInterval()).isNull();
  }

  @Test
  void disconnectWithWillMessagePublishesTheWill() throws Exception {
    try (RawMqtt5Client client = connectWithWill("leaving", true, null, will("wills/leaving", Properties.EMPTY))) {
      client.send(new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, Properties.EMPTY));
      Publish will = nextWill();
      assertThat(will.topic()).isEqualTo("wills/leaving");
    }
  }

  @Test
  void aNormalDisconnectDiscardsTheWill_MQTT_3_14_4_3_MQTT_3_1_2_10() throws Exception {
    try (RawMqtt5Client client = connectWithWill("tidy", true, null, will("wills/tidy", Properties.EMPTY))) {
      client.send(new Disconnect(ReasonCode.SUCCESS, Properties.EMPTY));
      assertThat(client.closedByBroker()).isTrue();
    }
    publishMarker();
    assertThat(nextWill().topic()).isEqualTo("wills/marker");
  }

  @Test
  void anInvalidDisconnectDoesNotDiscardTheWill() throws Exception {
    try (RawMqtt5Client client = connectWithWill("invalid", true, null, will("wills/invalid", Properties.EMPTY))) {
      // a Session Expiry Interval after CONNECT set none makes the DISCONNECT a protocol error
      client.send(new Disconnect(ReasonCode.SUCCESS, Properties.builder().sessionExpiryInterval(60).build()));
      assertThat(client.readDisconnect().reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }
    assertThat(nextWill().topic()).isEqualTo("wills/invalid");
  }

  @Test
  void theWillIsPublishedOnceItsDelayHasPassedAndNotBefore_MQTT_3_1_2_8() throws Exception {
    RawMqtt5Client client = connectWithWill("delayed", true, 60L, will("wills/delayed", willDelay(2)));
    long closed = System.nanoTime();
    client.close();
    Optional<Packet> early = watcher.poll(Duration.ofMillis(1500));
    assertThat(early).as("published before its delay").isEmpty();
    Publish will = nextWill();
    assertThat(will.topic()).isEqualTo("wills/delayed");
    assertThat(Duration.ofNanos(System.nanoTime() - closed)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
  }

  @Test
  void aReconnectWithinTheDelayCancelsTheWill_MQTT_3_1_3_9() throws Exception {
    connectWithWill("flaky", true, 60L, will("wills/flaky", willDelay(2))).close();
    try (RawMqtt5Client again = new RawMqtt5Client(broker)) {
      assertThat(again.connect(RawMqtt5Client.connectPacket("flaky", false, 60,
          Properties.builder().sessionExpiryInterval(60).build())).sessionPresent()).isTrue();
      assertThat(watcher.poll(PAST_THE_DELAY)).as("will published despite the reconnect").isEmpty();
    }
  }

  @Test
  void aTakeoverWithinTheDelayCancelsTheWill_MQTT_3_1_3_9() throws Exception {
    try (RawMqtt5Client first = connectWithWill("taken", true, 60L, will("wills/taken", willDelay(2)));
        RawMqtt5Client second = new RawMqtt5Client(broker)) {
      assertThat(second.connect(RawMqtt5Client.connectPacket("taken", false, 60,
          Properties.builder().sessionExpiryInterval(60).build())).sessionPresent()).isTrue();
      assertThat(first.readDisconnect().reasonCode()).isEqualTo(ReasonCode.SESSION_TAKEN_OVER);
      assertThat(watcher.poll(PAST_THE_DELAY)).as("will published despite the takeover").isEmpty();
    }
  }

  @Test
  void theWillIsPublishedWhenTheSessionEndsBeforeTheDelay_MQTT_3_1_2_8() throws Exception {
    RawMqtt5Client client = connectWithWill("short-lived", true, 1L, will("wills/short-lived", willDelay(60)));
    long closed = System.nanoTime();
    client.close();
    Publish will = nextWill(); // within five seconds, not sixty
    assertThat(will.topic()).isEqualTo("wills/short-lived");
    assertThat(Duration.ofNanos(System.nanoTime() - closed)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
  }

  @Test
  void aDelayedWillOfASessionThatEndsWithItsConnectionIsPublishedAtOnce_MQTT_3_1_2_8() throws Exception {
    connectWithWill("no-session", true, null, will("wills/no-session", willDelay(60))).close();
    assertThat(nextWill().topic()).isEqualTo("wills/no-session");
  }

  @Test
  void aDisconnectThatEndsTheSessionPublishesADelayedWillAtOnce() throws Exception {
    try (RawMqtt5Client client = connectWithWill("ending", true, 60L, will("wills/ending", willDelay(60)))) {
      client.send(new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE,
          Properties.builder().sessionExpiryInterval(0).build()));
      assertThat(nextWill().topic()).isEqualTo("wills/ending");
    }
  }
}
