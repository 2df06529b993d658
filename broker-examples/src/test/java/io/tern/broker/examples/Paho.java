package io.tern.broker.examples;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** An Eclipse Paho v3 network client with a clean session that records what it receives. */
final class Paho implements AutoCloseable {
  /** A message as received, with the topic it came on. */
  record Received(String topic, String payload, int qos, boolean retained) {}

  final MqttClient client;
  final List<Received> received = new CopyOnWriteArrayList<>();

  private Paho(MqttClient client) {
    this.client = client;
    client.setCallback(new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {}

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos(),
            message.isRetained()));
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {}
    });
  }

  static Paho connect(String uri, String clientId) throws MqttException {
    Paho paho = new Paho(new MqttClient(uri, clientId, new MemoryPersistence()));
    paho.client.connect(options());
    return paho;
  }

  static MqttConnectOptions options() {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(5);
    return options;
  }

  void subscribe(String filter, int qos) throws MqttException {
    client.subscribe(filter, qos);
  }

  void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
    publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
  }

  void publish(String topic, byte[] payload, int qos, boolean retained) throws MqttException {
    client.publish(topic, payload, qos, retained);
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect(1000);
    }
    client.close(true);
  }
}
