package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.BrokerBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Statistics under $SYS, published through the same API an embedding application uses. */
@Timeout(30)
class SysTopicsTest extends BrokerTest {

  @Override
  protected BrokerBuilder configure(BrokerBuilder builder) {
    return builder.sysTopicInterval(Duration.ofMillis(200));
  }

  private static boolean has(Paho client, String topic, String payload) {
    return client.received.stream().anyMatch(r -> r.topic().equals(topic) && r.payload().equals(payload));
  }

  @Test
  void connectedClientsAreCountedAndUpdatedAsTheyChange() throws Exception {
    Paho watcher = connectPaho("sys-watcher");
    watcher.client.subscribe("$SYS/#", 0);
    await().until(() -> has(watcher, "$SYS/broker/clients/connected", "1"));
    assertThat(watcher.received).anyMatch(r -> r.topic().equals("$SYS/broker/version"));

    connectPaho("second");
    await().until(() -> has(watcher, "$SYS/broker/clients/connected", "2"));
  }

  @Test
  void aLeadingWildcardDoesNotMatchSysTopics_MQTT_4_7_2_1() throws Exception {
    Paho everything = connectPaho("everything");
    everything.client.subscribe("#", 0);
    Paho watcher = connectPaho("sys-watcher");
    watcher.client.subscribe("$SYS/broker/clients/connected", 0);
    await().until(() -> has(watcher, "$SYS/broker/clients/connected", "2"));
    everything.publish("plain", "marker", 0, false);
    await().until(() -> has(everything, "plain", "marker"));

    assertThat(everything.received).noneMatch(r -> r.topic().startsWith("$SYS"));
  }
}
