package io.tern.broker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.junit.BrokerUri;
import io.tern.broker.junit.MessageRecorder;
import io.tern.broker.junit.TernBrokerExtension;
import io.tern.broker.junit.TestClient;
import io.tern.broker.message.Message;
import io.tern.broker.message.QoS;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How to test your own MQTT code against a real broker with the JUnit 5 extension of {@code
 * io.tern:broker-junit}: this is the pattern to copy.
 *
 * <ul>
 *   <li>The extension, on a {@code static} field, starts one broker on a free port before the
 *       tests of the class and closes it after them.
 *   <li>Your code connects over TCP to the {@link BrokerUri @BrokerUri} URI, as it would in
 *       production. Here a plain Paho client stands in for it.
 *   <li>The test itself talks to the broker through the in-process {@link TestClient}: it records
 *       what your code publishes and publishes what your code should receive, with no second
 *       network client to manage.
 * </ul>
 */
@Timeout(30)
class JUnitExtensionExampleTest {

  @RegisterExtension
  static final TernBrokerExtension broker = TernBrokerExtension.perClass();

  /** The code under test: in your project, your gateway, device or service. */
  private MqttClient gateway;

  @BeforeEach
  void connectTheGateway(@BrokerUri String uri) throws MqttException {
    // The broker is shared by all tests of the class: connect afresh (clean session) in each test,
    // and give each test its own topics, so that nothing one test leaves behind reaches another.
    gateway = new MqttClient(uri, "gateway-under-test", new MemoryPersistence());
    gateway.connect();
  }

  @AfterEach
  void disconnectTheGateway() throws MqttException {
    gateway.disconnect();
    gateway.close();
  }

  @Test
  void whatTheGatewayPublishesReachesTheTest(TestClient client) throws MqttException {
    // Subscribe before the code under test publishes; subscribe() returns once it is in place.
    MessageRecorder readings = client.subscribe("sensors/#");

    gateway.publish("sensors/hall/temperature", "21.5".getBytes(StandardCharsets.UTF_8), 1, false);

    // awaitOne() waits up to 10 seconds and, on failure, says what did arrive instead.
    Message reading = readings.awaitOne();
    assertThat(reading.topic()).isEqualTo("sensors/hall/temperature");
    assertThat(reading.payloadAsString()).isEqualTo("21.5");
    assertThat(reading.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
  }

  @Test
  void whatTheTestPublishesReachesTheGateway(TestClient client) throws MqttException {
    List<String> received = new CopyOnWriteArrayList<>();
    gateway.subscribe("commands/hall/#", 1,
        (topic, message) -> received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));

    // publish() returns once the broker has routed the message; the network delivery is still on
    // its way, so wait for it with Awaitility rather than a sleep.
    client.publish("commands/hall/heating", "off", QoS.AT_LEAST_ONCE, false);

    await().untilAsserted(() -> assertThat(received).containsExactly("commands/hall/heating off"));
  }
}
