package io.tern.broker.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.Broker;
import io.tern.broker.message.Message;
import io.tern.broker.message.QoS;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A fresh broker for each test, closed after it. */
@Timeout(30)
class PerTestBrokerTest {
  private static final List<Broker> brokers = new CopyOnWriteArrayList<>();

  @RegisterExtension
  final TernBrokerExtension extension = TernBrokerExtension.perTest();

  private Broker beforeEachBroker;

  @BeforeEach
  void recordTheTestsBroker(Broker broker) {
    assertThat(broker.isRunning()).isTrue();
    beforeEachBroker = broker;
    brokers.add(broker);
  }

  @AfterEach
  void theBrokerStillRunsInAfterEachMethods(Broker broker) {
    assertThat(broker).isSameAs(beforeEachBroker);
    assertThat(broker.isRunning()).isTrue();
  }

  @AfterAll
  static void everyTestHadItsOwnBrokerAndEachWasClosed() {
    assertThat(brokers).isNotEmpty();
    Set<Broker> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
    distinct.addAll(brokers);
    assertThat(distinct).hasSameSizeAs(brokers);
    assertThat(brokers).allSatisfy(broker -> assertThat(broker.isRunning()).isFalse());
  }

  @RepeatedTest(3)
  void eachTestHasItsOwnRunningBroker(Broker broker, TestClient client, @BrokerUri String uri) {
    assertThat(broker).isSameAs(beforeEachBroker).isSameAs(extension.broker());
    assertThat(client).isSameAs(extension.client());
    assertThat(uri).isEqualTo("tcp://127.0.0.1:" + broker.port());
    assertThat(broker.isRunning()).isTrue();
  }

  @RepeatedTest(2)
  void retainedMessagesDoNotOutliveTheirTest(TestClient client) {
    MessageRecorder recorder = client.subscribe("per-test/state");
    client.publish("per-test/state", "retained", QoS.AT_MOST_ONCE, true);
    // On a broker that outlived the first repetition, the second would get that one's message
    // first, flagged as retained.
    Message first = recorder.awaitOne();
    assertThat(first.payloadAsString()).isEqualTo("retained");
    assertThat(first.retain()).isFalse();
  }
}
