package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HiveMQ MQTT client in MQTT 3.1.1 mode, interoperating with Paho through the broker. */
@Timeout(30)
class HiveMqClientTest extends BrokerTest {
  private Mqtt3BlockingClient client(String id) {
    return Mqtt3Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.port())
        .buildBlocking();
  }

  @Test
  void publishesAndReceivesAtEveryQos() throws Exception {
    Mqtt3BlockingClient subscriber = client("hive-sub");
    Mqtt3BlockingClient publisher = client("hive-pub");
    subscriber.connect();
    publisher.connect();
    try (Mqtt3BlockingClient.Mqtt3Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
      subscriber.subscribeWith().topicFilter("hive/#").qos(MqttQos.EXACTLY_ONCE).send();
      for (MqttQos qos : MqttQos.values()) {
        publisher.publishWith().topic("hive/" + qos).qos(qos).payload(qos.name().getBytes()).send();
      }
      for (MqttQos qos : MqttQos.values()) {
        Optional<Mqtt3Publish> received = publishes.receive(10, TimeUnit.SECONDS);
        assertThat(received).isPresent();
        assertThat(received.get().getTopic().toString()).isEqualTo("hive/" + qos);
        assertThat(received.get().getQos()).isEqualTo(qos);
        assertThat(new String(received.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo(qos.name());
      }
    } finally {
      subscriber.disconnect();
      publisher.disconnect();
    }
  }

  @Test
  void resumesAPersistentSessionAndGetsWhatWasQueued_MQTT_3_2_2_2() throws Exception {
    Mqtt3BlockingClient subscriber = client("hive-persistent");
    Mqtt3ConnAck first = subscriber.connectWith().cleanSession(false).send();
    assertThat(first.isSessionPresent()).isFalse();
    subscriber.subscribeWith().topicFilter("offline/+").qos(MqttQos.AT_LEAST_ONCE).send();
    subscriber.disconnect();

    try (Paho publisher = Paho.connect(broker, "paho-pub")) {
      publisher.publish("offline/1", "queued", 1, false);
    }

    try (Mqtt3BlockingClient.Mqtt3Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
      Mqtt3ConnAck second = subscriber.connectWith().cleanSession(false).send();
      assertThat(second.isSessionPresent()).isTrue();
      Optional<Mqtt3Publish> received = publishes.receive(10, TimeUnit.SECONDS);
      assertThat(received).isPresent();
      assertThat(new String(received.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("queued");
    } finally {
      subscriber.disconnect();
    }
  }
}
