package io.tern.broker.it;

import io.tern.broker.Broker;
import io.tern.broker.BrokerBuilder;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A broker started before each test and closed after it, together with the Paho clients the test
 * connected through {@link #connectPaho}.
 */
abstract class BrokerTest {
  protected Broker broker;
  private final List<Paho> clients = new ArrayList<>();

  /** This class's settings on top of the test defaults; none by default. */
  protected BrokerBuilder configure(BrokerBuilder builder) {
    return builder;
  }

  @BeforeEach
  final void startBroker() {
    broker = TestBrokers.start(this::configure);
  }

  @AfterEach
  final void stopBroker() throws MqttException {
    try {
      for (Paho client : clients) {
        client.close();
      }
    } finally {
      broker.close();
    }
  }

  /** A Paho v3 client connected with a clean session, closed after the test. */
  protected Paho connectPaho(String clientId) throws MqttException {
    Paho paho = Paho.connect(broker, clientId);
    clients.add(paho);
    return paho;
  }
}
