package io.tern.broker.it;

import io.tern.broker.Broker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** An Eclipse Paho v3 client that records what it receives. */
final class Paho implements AutoCloseable {
  /** A message as received, with the topic it came on. */
  record Received(String topic, String payload, int qos, boolean retained, boolean duplicate) {}

  final MqttClient client;
  final List<Received> received = new CopyOnWriteArrayList<>();
  volatile Throwable connectionLost;

  private Paho(MqttClient client) {
    this.client = client;
    client.setCallback(new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
        connectionLost = cause;
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        received.add(new Received(topic, new String(message.getPayload()), message.getQos(),
            message.isRetained(), message.isDuplicate()));
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {}
    });
  }

  static Paho connect(Broker broker, String clientId) throws MqttException {
    return connect(broker, clientId, options(true));
  }

  static Paho connect(Broker broker, String clientId, MqttConnectOptions options) throws MqttException {
    Paho paho = create(broker, clientId);
    paho.client.connect(options);
    return paho;
  }

  static Paho create(Broker broker, String clientId) throws MqttException {
    return new Paho(new MqttClient(TestBrokers.uri(broker), clientId, new MemoryPersistence()));
  }

  static MqttConnectOptions options(boolean cleanSession) {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(cleanSession);
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(5);
    options.setKeepAliveInterval(30);
    options.setMaxInflight(1000);
    return options;
  }

  /** Connects and disconnects at once; returns 0, or the CONNACK return code that refused it. */
  static int refusal(Broker broker, String clientId, MqttConnectOptions options) throws MqttException {
    Paho paho = create(broker, clientId);
    try {
      paho.client.connect(options);
      paho.client.disconnect();
      return 0;
    } catch (MqttException e) {
      return e.getReasonCode();
    } finally {
      paho.client.close(true);
    }
  }

  void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
    client.publish(topic, payload.getBytes(), qos, retained);
  }

  List<String> payloads() {
    return received.stream().map(Received::payload).toList();
  }

  /**
   * Releases a client whose connection the broker closed (or is closing), whether or not Paho has
   * noticed yet.
   */
  void abandon() throws MqttException {
    if (client.isConnected()) {
      client.disconnectForcibly(0, 0, false);
    }
    client.close(true);
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect(1000);
    }
    client.close(true);
  }
}
