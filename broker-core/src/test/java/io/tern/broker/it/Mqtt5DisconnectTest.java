package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.tern.broker.Broker;
import io.tern.broker.BrokerBuilder;
import io.tern.broker.core.codec.ConnAck;
import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.Disconnect;
import io.tern.broker.core.codec.PacketType;
import io.tern.broker.core.codec.PingReq;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.message.ReasonCode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Who closes an MQTT 5 connection, and what is said: the broker tells the client why with a
 * DISCONNECT reason code and then closes, and says nothing to a client that disconnected itself.
 * Every server DISCONNECT read here is also checked by the client-side decoder, which refuses a
 * Session Expiry Interval in it [MQTT-3.14.2-2].
 */
@Timeout(30)
class Mqtt5DisconnectTest {
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

  private static Connect connect(String clientId, int keepAlive) {
    return RawMqtt5Client.connectPacket(clientId, true, keepAlive, Properties.EMPTY);
  }

  /** Reads the broker's DISCONNECT, checks that nothing follows it and that the connection closes. */
  private static ReasonCode disconnectReason(RawMqtt5Client client) throws Exception {
    Disconnect disconnect = client.readDisconnect();
    assertThat(disconnect.properties().sessionExpiryInterval()).isNull(); // [MQTT-3.14.2-2]
    // [MQTT-3.14.4-1] nothing after the DISCONNECT, [MQTT-3.14.4-2] and the connection closes
    await().atMost(Duration.ofSeconds(5)).until(client::closedByBroker);
    return disconnect.reasonCode();
  }

  @Test
  void aConnectionTakenOverHearsSessionTakenOver0x8E_MQTT_3_1_4_3() throws Exception {
    start(b -> b);
    try (RawMqtt5Client first = RawMqtt5Client.connected(broker, connect("twin", 30));
        RawMqtt5Client second = new RawMqtt5Client(broker)) {
      assertThat(second.connect(connect("twin", 30)).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      assertThat(disconnectReason(first)).isEqualTo(ReasonCode.SESSION_TAKEN_OVER);
      assertThat(second.closedByBroker()).isFalse();
    }
  }

  @Test
  void hiveMqLearnsItsSessionWasTakenOver() {
    start(b -> b);
    AtomicReference<Throwable> cause = new AtomicReference<>();
    Mqtt5BlockingClient first = Mqtt5Client.builder().identifier("hive-twin").serverHost("127.0.0.1")
        .serverPort(broker.port()).addDisconnectedListener(context -> cause.set(context.getCause()))
        .buildBlocking();
    first.connect();
    Mqtt5BlockingClient second = Mqtt5Client.builder().identifier("hive-twin").serverHost("127.0.0.1")
        .serverPort(broker.port()).buildBlocking();
    second.connect();
    try {
      await().untilAsserted(() -> assertThat(cause.get()).isInstanceOfSatisfying(Mqtt5DisconnectException.class,
          e -> assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER)));
    } finally {
      second.disconnect();
    }
  }

  @Test
  void aSilentClientIsDisconnectedWithKeepAliveTimeout0x8D_MQTT_3_1_2_22() throws Exception {
    start(b -> b);
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("silent", 1))) {
      long start = System.nanoTime();
      assertThat(disconnectReason(client)).isEqualTo(ReasonCode.KEEP_ALIVE_TIMEOUT);
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      assertThat(waited).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(4));
    }
  }

  @Test
  void aPingingClientKeepsItsConnection_MQTT_3_1_2_22_MQTT_3_12_4_1() throws Exception {
    start(b -> b);
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("pinger", 1))) {
      await().pollDelay(Duration.ofMillis(500)).pollInterval(Duration.ofMillis(500))
          .during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
          .until(() -> {
            client.send(PingReq.INSTANCE);
            return client.read().type() == PacketType.PINGRESP;
          });
    }
  }

  @Test
  void anAdministrativeDisconnectIsToldWith0x98() throws Exception {
    start(b -> b);
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("unwanted", 30))) {
      assertThat(broker.admin().disconnect("unwanted").toCompletableFuture().join()).isTrue();
      assertThat(disconnectReason(client)).isEqualTo(ReasonCode.ADMINISTRATIVE_ACTION);
    }
  }

  @Test
  void pahoLearnsOfAnAdministrativeDisconnect() throws Exception {
    start(b -> b);
    AtomicReference<MqttDisconnectResponse> told = new AtomicReference<>();
    MqttClient paho = new MqttClient(TestBrokers.uri(broker), "paho-unwanted", new MemoryPersistence());
    paho.setCallback(new MqttCallback() {
      @Override
      public void disconnected(MqttDisconnectResponse response) {
        told.set(response);
      }

      @Override
      public void mqttErrorOccurred(MqttException exception) {}

      @Override
      public void messageArrived(String topic, MqttMessage message) {}

      @Override
      public void deliveryComplete(IMqttToken token) {}

      @Override
      public void connectComplete(boolean reconnect, String serverUri) {}

      @Override
      public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    });
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setAutomaticReconnect(false);
    paho.connect(options);
    try {
      broker.admin().disconnect("paho-unwanted").toCompletableFuture().join();
      await().untilAsserted(() -> assertThat(told.get()).isNotNull()
          .extracting(MqttDisconnectResponse::getReturnCode).isEqualTo(ReasonCode.ADMINISTRATIVE_ACTION.value()));
    } finally {
      paho.close(true);
    }
  }

  @Test
  void clientsHearServerShuttingDown0x8BWhenTheBrokerStops() throws Exception {
    start(b -> b);
    try (RawMqtt5Client one = RawMqtt5Client.connected(broker, connect("one", 30));
        RawMqtt5Client two = RawMqtt5Client.connected(broker, connect("two", 30))) {
      broker.close();
      assertThat(disconnectReason(one)).isEqualTo(ReasonCode.SERVER_SHUTTING_DOWN);
      assertThat(disconnectReason(two)).isEqualTo(ReasonCode.SERVER_SHUTTING_DOWN);
    }
  }

  @Test
  void aNormalDisconnectFromTheClientIsNotAnswered() throws Exception {
    start(b -> b);
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("polite", 30))) {
      client.send(new Disconnect(ReasonCode.SUCCESS, Properties.EMPTY));
      assertThat(client.closedByBroker()).isTrue(); // fails on any packet before the end of the stream
    }
  }

  @Test
  void aDisconnectWithWillMessageIsNotAnsweredEither() throws Exception {
    start(b -> b);
    try (RawMqtt5Client client = RawMqtt5Client.connected(broker, connect("willing", 30))) {
      client.send(new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, Properties.EMPTY));
      assertThat(client.closedByBroker()).isTrue();
    }
  }

  @Test
  void aRefusedConnectGetsAConnAckAndNoDisconnect_MQTT_3_14_0_1_MQTT_3_2_2_7() throws Exception {
    start(b -> b.maxConnections(1));
    try (RawMqtt5Client first = RawMqtt5Client.connected(broker, connect("first", 30));
        RawMqtt5Client second = new RawMqtt5Client(broker)) {
      ConnAck refused = second.connect(connect("second", 30));
      assertThat(refused.reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
      assertThat(refused.sessionPresent()).isFalse(); // [MQTT-3.2.2-6]
      assertThat(second.closedByBroker()).isTrue();
    }
  }
}
