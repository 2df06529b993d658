package io.tern.broker.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tern.broker.Broker;
import io.tern.broker.message.Message;
import io.tern.broker.message.QoS;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One broker for the whole class, injected everywhere, exchanging messages with network clients. */
@Timeout(30)
class PerClassBrokerTest {
  @RegisterExtension
  static final TernBrokerExtension extension = TernBrokerExtension.perClass();

  private static Broker classBroker;
  private static int classPort;

  private final Broker constructorBroker;
  private Broker beforeEachBroker;

  PerClassBrokerTest(Broker broker) {
    this.constructorBroker = broker;
  }

  @BeforeAll
  static void recordTheClassBroker(Broker broker, @BrokerUri String uri) {
    assertThat(broker.isRunning()).isTrue();
    classBroker = broker;
    classPort = broker.port();
    assertThat(uri).isEqualTo("tcp://127.0.0.1:" + classPort);
  }

  @BeforeEach
  void recordTheBrokerBeforeEachTest(Broker broker) {
    beforeEachBroker = broker;
  }

  @AfterAll
  static void theBrokerStillRunsInAfterAllMethods(Broker broker) {
    // Also after the @Nested class has ended: its end must not close the enclosing class's broker.
    assertThat(broker).isSameAs(classBroker);
    assertThat(broker.isRunning()).isTrue();
  }

  @RepeatedTest(3)
  void everyTestGetsTheClassBroker(Broker broker) {
    assertThat(broker).isSameAs(classBroker).isSameAs(beforeEachBroker).isSameAs(constructorBroker)
        .isSameAs(extension.broker());
    assertThat(broker.port()).isEqualTo(classPort);
    assertThat(extension.port()).isEqualTo(classPort);
    assertThat(broker.isRunning()).isTrue();
  }

  @Test
  void injectsEachSupportedType(Broker broker, TestClient client, @BrokerUri String uri, @BrokerUri URI uriObject) {
    assertThat(broker).isSameAs(extension.broker());
    assertThat(client).isSameAs(extension.client());
    assertThat(uri).isEqualTo(extension.uri()).isEqualTo("tcp://127.0.0.1:" + classPort);
    assertThat(uriObject.getScheme()).isEqualTo("tcp");
    assertThat(uriObject.getHost()).isEqualTo("127.0.0.1");
    assertThat(uriObject.getPort()).isEqualTo(classPort);
  }

  @Test
  void pahoAndTheTestClientExchangeMessagesBothWays(@BrokerUri String uri, TestClient client) throws Exception {
    MessageRecorder fromDevice = client.subscribe("exchange/up/#");
    try (Paho device = Paho.connect(uri, "exchange-device")) {
      device.subscribe("exchange/down/+", 1);

      client.publish("exchange/down/lamp", "on", QoS.AT_LEAST_ONCE, false);
      await().untilAsserted(() -> assertThat(device.received)
          .containsExactly(new Paho.Received("exchange/down/lamp", "on", 1, false)));

      device.publish("exchange/up/lamp", "is on", 1, false);
      Message received = fromDevice.awaitOne();
      assertThat(received.topic()).isEqualTo("exchange/up/lamp");
      assertThat(received.payloadAsString()).isEqualTo("is on");
      assertThat(received.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
      assertThat(received.retain()).isFalse();
    }
  }

  @Test
  void aRetainedMessageFromTheTestClientReachesALaterPahoSubscriber(@BrokerUri String uri, TestClient client)
      throws Exception {
    client.publish("retained/boiler/state", "heating", QoS.AT_LEAST_ONCE, true);

    try (Paho late = Paho.connect(uri, "late-subscriber")) {
      late.subscribe("retained/boiler/#", 1);
      await().untilAsserted(() -> assertThat(late.received)
          .containsExactly(new Paho.Received("retained/boiler/state", "heating", 1, true)));
    }
  }

  @Test
  void awaitReturnsTheFirstMessagesOnceEnoughHaveArrived(TestClient client) {
    MessageRecorder recorder = client.subscribe("await/ok");
    CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
      for (int i = 1; i <= 3; i++) {
        client.publish("await/ok", "m" + i);
      }
    });

    assertThat(recorder.await(2)).extracting(Message::payloadAsString).containsExactly("m1", "m2");
    assertThat(recorder.awaitOne().payloadAsString()).isEqualTo("m1");
    publishing.join();
    assertThat(recorder.await(3, Duration.ofSeconds(5))).extracting(Message::payloadAsString)
        .containsExactly("m1", "m2", "m3");
    assertThat(recorder.await(2)).extracting(Message::payloadAsString).containsExactly("m1", "m2");
    assertThat(recorder.payloads()).containsExactly("m1", "m2", "m3");
    assertThat(recorder.messages()).extracting(Message::topic).containsOnly("await/ok");
  }

  @Test
  void awaitFailsListingWhatDidArrive(TestClient client) {
    MessageRecorder empty = client.subscribe("await/none");
    assertThatThrownBy(() -> empty.await(1, Duration.ofMillis(100)))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expected at least 1 message(s) on 'await/none' within 100 ms, but 0 arrived.");

    MessageRecorder recorder = client.subscribe("await/short/#");
    client.publish("await/short/a", "only one");
    client.publish("await/short/b", "and a retained one", QoS.AT_LEAST_ONCE, true);
    recorder.await(2);

    assertThatThrownBy(() -> recorder.await(3, Duration.ofMillis(200)))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Expected at least 3 message(s) on 'await/short/#' within 200 ms, but 2 arrived:\n"
            + "  await/short/a [QoS 0]: \"only one\"\n"
            + "  await/short/b [QoS 1]: \"and a retained one\"");
  }

  @Test
  void aRecorderCanBeClearedAndClosed(TestClient client) {
    MessageRecorder recorder = client.subscribe("recorder/x");
    client.publish("recorder/x", "before clear");
    recorder.awaitOne();

    recorder.clear();
    assertThat(recorder.messages()).isEmpty();
    client.publish("recorder/x", "after clear");
    assertThat(recorder.awaitOne().payloadAsString()).isEqualTo("after clear");

    recorder.close();
    recorder.close();
    MessageRecorder other = client.subscribe("recorder/x");
    client.publish("recorder/x", "after close");
    other.awaitOne();
    assertThat(recorder.payloads()).containsExactly("after clear");
  }

  @Test
  void theTestClientReportsMisusePlainly(TestClient client) {
    assertThatThrownBy(() -> client.subscribe("a/#/b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a/#/b");
    assertThatThrownBy(() -> client.publish("a/+", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.subscribe("t").await(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Nested
  class InANestedClass {
    @Test
    void testsShareTheEnclosingClassBroker(Broker broker, TestClient client) {
      assertThat(broker).isSameAs(classBroker).isSameAs(extension.broker());
      assertThat(client).isSameAs(extension.client());
      assertThat(broker.isRunning()).isTrue();
    }

    @Test
    void aRetainedMessageReachesALaterRecorder(TestClient client) {
      client.publish("nested/retained", "kept", QoS.AT_MOST_ONCE, true);
      assertThat(client.subscribe("nested/retained").awaitOne().retain()).isTrue();
    }
  }
}
