package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class Mqtt5SmokeTest extends BrokerTest {

  @Test
  void hiveMqAndPahoV5ExchangeMessagesWithProperties() throws Exception {
    Mqtt5BlockingClient subscriber = Mqtt5Client.builder().identifier("smoke-sub").serverHost("127.0.0.1")
        .serverPort(broker.port()).buildBlocking();
    Mqtt5ConnAck connAck = subscriber.connect();
    assertThat(connAck.getReasonCode().getCode()).isZero();
    MqttClient paho = new MqttClient("tcp://127.0.0.1:" + broker.port(), "smoke-pub", new MemoryPersistence());
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
      subscriber.subscribeWith().topicFilter("smoke/#").qos(MqttQos.EXACTLY_ONCE).send();
      paho.connect(new MqttConnectionOptions());
      for (int qos = 0; qos <= 2; qos++) {
        MqttMessage message = new MqttMessage(("q" + qos).getBytes(StandardCharsets.UTF_8), qos, false, null);
        MqttProperties properties = new MqttProperties();
        properties.setContentType("text/plain");
        properties.setUserProperties(java.util.List.of(new UserProperty("k", "v" + qos)));
        message.setProperties(properties);
        paho.publish("smoke/" + qos, message);
      }
      for (int qos = 0; qos <= 2; qos++) {
        Optional<Mqtt5Publish> received = publishes.receive(10, TimeUnit.SECONDS);
        assertThat(received).isPresent();
        assertThat(received.get().getTopic().toString()).isEqualTo("smoke/" + qos);
        assertThat(received.get().getContentType().map(Object::toString)).contains("text/plain");
        assertThat(received.get().getUserProperties().asList()).hasSize(1);
      }
      // and once more, now through the topic aliases the broker assigned
      paho.publish("smoke/0", new MqttMessage("again".getBytes(StandardCharsets.UTF_8), 1, false, null));
      Optional<Mqtt5Publish> again = publishes.receive(10, TimeUnit.SECONDS);
      assertThat(again).isPresent();
      assertThat(again.get().getTopic().toString()).isEqualTo("smoke/0");
    } finally {
      paho.disconnect();
      paho.close();
      subscriber.disconnect();
    }
  }
}
