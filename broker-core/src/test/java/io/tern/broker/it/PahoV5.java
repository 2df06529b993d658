package io.tern.broker.it;

import io.tern.broker.Broker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** An Eclipse Paho MQTT 5 client that records what it receives. */
final class PahoV5 implements AutoCloseable {
  /** A message as received, with the topic it came on. */
  record Received(String topic, MqttMessage message) {
    String payload() {
      return new String(message.getPayload(), StandardCharsets.UTF_8);
    }

    MqttProperties properties() {
      return message.getProperties();
    }
  }

  final MqttClient client;
  final List<Received> received = new CopyOnWriteArrayList<>();
  volatile MqttDisconnectResponse disconnected;

  private PahoV5(MqttClient client) {
    this.client = client;
    client.setCallback(new MqttCallback() {
      @Override
      public void disconnected(MqttDisconnectResponse response) {
        disconnected = response;
      }

      @Override
      public void mqttErrorOccurred(MqttException exception) {}

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        received.add(new Received(topic, message));
      }

      @Override
      public void deliveryComplete(IMqttToken token) {}

      @Override
      public void connectComplete(boolean reconnect, String serverUri) {}

      @Override
      public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    });
  }

  /** Connects with Clean Start and no session expiry. */
  static PahoV5 connect(Broker broker, String clientId) throws MqttException {
    return connect(broker, clientId, options());
  }

  static PahoV5 connect(Broker broker, String clientId, MqttConnectionOptions options) throws MqttException {
    PahoV5 paho = new PahoV5(new MqttClient(TestBrokers.uri(broker), clientId, new MemoryPersistence()));
    paho.client.connect(options);
    return paho;
  }

  static MqttConnectionOptions options() {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(5);
    options.setKeepAliveInterval(30);
    return options;
  }

  List<String> payloads() {
    return received.stream().map(Received::payload).toList();
  }

  /** A message with this payload, QoS and retain flag, and no properties. */
  static MqttMessage message(String payload, int qos, boolean retained) {
    MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
    message.setQos(qos);
    message.setRetained(retained);
    return message;
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect(1000);
    }
    client.close(true);
  }
}
