package io.tern.broker.it;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tern.broker.Broker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A HiveMQ client in MQTT 5 mode that records every message it receives, from before it connects
 * on, so that messages a resumed session sends right after the CONNACK are caught too.
 */
final class HiveMq5 implements AutoCloseable {
  final Mqtt5BlockingClient client;
  final List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();

  private HiveMq5(Mqtt5BlockingClient client) {
    this.client = client;
    client.toAsync().publishes(MqttGlobalPublishFilter.ALL, received::add);
  }

  /** A client that has not connected yet: connect it with {@code client.connect()} or {@code connectWith()}. */
  static HiveMq5 create(Broker broker, String clientId) {
    return new HiveMq5(Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1")
        .serverPort(broker.port()).buildBlocking());
  }

  List<String> payloads() {
    return received.stream().map(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).toList();
  }

  @Override
  public void close() {
    if (client.getState().isConnected()) {
      client.disconnect();
    }
  }
}
