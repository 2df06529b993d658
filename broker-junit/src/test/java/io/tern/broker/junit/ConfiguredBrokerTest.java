package io.tern.broker.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.Broker;
import io.tern.broker.message.QoS;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Settings given to configure(...) apply on top of the defaults, each call on top of the last. */
@Timeout(30)
class ConfiguredBrokerTest {
  @RegisterExtension
  static final TernBrokerExtension extension = TernBrokerExtension.perClass()
      .configure(builder -> builder.maxQos(QoS.AT_LEAST_ONCE))
      .configure(builder -> builder.maxPacketSize(1024));

  @Test
  void theMaximumQosCapsWhatIsGranted(@BrokerUri String uri) throws Exception {
    try (Paho subscriber = Paho.connect(uri, "capped")) {
      assertThat(subscriber.subscribe("capped/#", 2)).isEqualTo(1);
    }
  }

  @Test
  void theMaximumPacketSizeDisconnectsClientsThatExceedIt(@BrokerUri String uri, TestClient client)
      throws Exception {
    MessageRecorder recorder = client.subscribe("sized");
    try (Paho publisher = Paho.connect(uri, "sized")) {
      publisher.publish("sized", "small", 0, false);
      assertThat(recorder.awaitOne().payloadAsString()).isEqualTo("small");

      publisher.publish("sized", "x".repeat(2000), 0, false);
      await().until(() -> !publisher.client.isConnected());
    }
    assertThat(recorder.payloads()).containsExactly("small");
  }

  @Test
  void theDefaultsStillApply(Broker broker) {
    assertThat(broker.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(extension.uri()).isEqualTo("tcp://127.0.0.1:" + broker.port());
  }
}
