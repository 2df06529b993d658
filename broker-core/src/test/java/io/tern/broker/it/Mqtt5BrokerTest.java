package io.tern.broker.it;

import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.Properties;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterEach;

/**
 * A {@link BrokerTest} with MQTT 5 clients: HiveMQ, Paho v5 and {@link RawClient5}, each closed
 * after the test (before the broker stops).
 */
abstract class Mqtt5BrokerTest extends BrokerTest {
  private final List<AutoCloseable> clients = new ArrayList<>();

  @AfterEach
  final void closeMqtt5Clients() {
    for (AutoCloseable client : clients) {
      try {
        client.close();
      } catch (Exception e) {
        // the broker may have closed it already; the broker is stopped next anyway
      }
    }
  }

  /** A HiveMQ MQTT 5 client connected with Clean Start and no session expiry. */
  protected HiveMq5 hiveMq(String clientId) {
    HiveMq5 client = hiveMqUnconnected(clientId);
    client.client.connect();
    return client;
  }

  /** A HiveMQ MQTT 5 client not connected yet. */
  protected HiveMq5 hiveMqUnconnected(String clientId) {
    return track(HiveMq5.create(broker, clientId));
  }

  /** A Paho MQTT 5 client connected with Clean Start and no session expiry. */
  protected PahoV5 pahoV5(String clientId) throws Exception {
    return track(PahoV5.connect(broker, clientId));
  }

  protected PahoV5 pahoV5(String clientId, MqttConnectionOptions options) throws Exception {
    return track(PahoV5.connect(broker, clientId, options));
  }

  /** A raw MQTT 5 client connected with Clean Start and these CONNECT properties. */
  protected RawClient5 raw5(String clientId, Properties connectProperties) throws Exception {
    RawClient5 client = track(new RawClient5(broker));
    int reason = client.connect(clientId, connectProperties).returnCode();
    if (reason != 0) {
      throw new IllegalStateException("CONNECT refused with reason code " + reason);
    }
    return client;
  }

  protected RawClient5 raw5(String clientId) throws Exception {
    return raw5(clientId, Properties.EMPTY);
  }

  /** A {@link RawMqtt5Client} connected with this CONNECT, which the broker must accept. */
  protected RawMqtt5Client rawMqtt5(Connect connect) throws IOException {
    return track(RawMqtt5Client.connected(broker, connect));
  }

  /** A {@link RawMqtt5Client} connected with Clean Start, keep-alive 60 and these CONNECT properties. */
  protected RawMqtt5Client rawMqtt5(String clientId, Properties properties) throws IOException {
    return rawMqtt5(RawMqtt5Client.connectPacket(clientId, true, 60, properties));
  }

  protected RawMqtt5Client rawMqtt5(String clientId) throws IOException {
    return rawMqtt5(clientId, Properties.EMPTY);
  }

  protected <T extends AutoCloseable> T track(T client) {
    clients.add(client);
    return client;
  }
}
