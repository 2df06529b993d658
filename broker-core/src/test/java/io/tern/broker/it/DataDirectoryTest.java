package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.tern.broker.Broker;
import io.tern.broker.Durability;
import io.tern.broker.core.codec.ConnAck;
import io.tern.broker.core.codec.Packet;
import io.tern.broker.core.codec.PingReq;
import io.tern.broker.core.codec.PingResp;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.PubAck;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.core.codec.SubAck;
import io.tern.broker.core.codec.Subscribe;
import io.tern.broker.core.runtime.StoreTuning;
import io.tern.broker.core.store.file.FileStore;
import io.tern.broker.core.store.file.LogConfig;
import io.tern.broker.core.store.memory.MemorySessionStore;
import io.tern.broker.spi.store.RetainedMessage;
import io.tern.broker.spi.store.StoredSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A broker with a data directory, closed and built again on the same directory: what persistent
 * sessions and retained messages keep across the restart, and what stays gone.
 */
@Timeout(60)
class DataDirectoryTest extends RestartedBrokerTest {
  @Test
  void aCleanSession0SessionKeepsItsSubscriptionsAndACleanSession1ConnectRemovesOne() throws Exception {
    start();
    try (Paho kept = Paho.connect(broker, "kept-311", Paho.options(false))) {
      kept.client.subscribe("persist/#", 1);
    }
    try (Paho removed = Paho.connect(broker, "removed-311", Paho.options(false))) {
      removed.client.subscribe("persist/#", 1);
    }
    Paho.connect(broker, "removed-311", Paho.options(true)).close(); // clean session 1 ends it

    restart();

    Paho kept = track(Paho.create(broker, "kept-311"));
    IMqttToken connected = kept.client.connectWithResult(Paho.options(false));
    assertThat(connected.getSessionPresent()).isTrue();
    Paho removed = track(Paho.create(broker, "removed-311"));
    assertThat(removed.client.connectWithResult(Paho.options(false)).getSessionPresent()).isFalse();
    track(Paho.connect(broker, "publisher-311")).publish("persist/a", "after the restart", 1, false);
    await().untilAsserted(() -> assertThat(kept.received).extracting(Paho.Received::payload)
        .containsExactly("after the restart"));
    assertThat(kept.received.get(0).qos()).isEqualTo(1);
  }

  @Test
  void anMqtt5SessionKeepsNoLocalRetainAsPublishedAndItsIdentifier_MQTT_3_1_2_23_MQTT_3_8_3_3_MQTT_3_3_1_13_MQTT_3_3_4_3()
      throws Exception {
    start();
    RawClient5 before = raw5();
    before.connect("options-5", true, expiry(300));
    SubAck granted = before.subscribe(1, Properties.builder().subscriptionIdentifier(42).build(),
        new Subscribe.Request("opts/#", 1, true, true, Subscribe.SEND_RETAINED));
    assertThat(granted.returnCodes()).containsExactly((byte) 1);

    restart();

    RawClient5 after = raw5();
    ConnAck resumed = after.connect("options-5", false, expiry(300));
    assertThat(resumed.sessionPresent()).isTrue();
    // No Local: its own message is acknowledged and not sent back (a PUBLISH would come first).
    after.send(new Publish("opts/own", 1, false, false, 1, bytes("own")));
    assertThat(after.read(PubAck.class).packetId()).isEqualTo(1);
    try (PahoV5 publisher = PahoV5.connect(broker, "options-5-publisher")) {
      publisher.client.publish("opts/other", PahoV5.message("other", 1, true));
    }
    Publish received = after.read(Publish.class);
    assertThat(RawClient5.text(received.payload())).isEqualTo("other");
    assertThat(received.retain()).as("Retain As Published").isTrue();
    assertThat(received.qos()).isEqualTo(1);
    assertThat(received.properties().subscriptionIdentifiers()).containsExactly(42);
  }

  @Test
  void anMqtt5SessionEndedByCleanStartStaysGone_MQTT_3_1_2_4_MQTT_3_2_2_3() throws Exception {
    start();
    RawClient5 first = raw5();
    first.connect("clean-start-5", true, expiry(300));
    first.subscribe(1, Properties.EMPTY, new Subscribe.Request("x/#", 1));
    first.close();
    await().until(() -> session("clean-start-5").map(s -> !s.connected()).orElse(false));
    RawClient5 second = raw5();
    second.connect("clean-start-5", true, Properties.EMPTY); // Clean Start, expiry 0: it ends
    second.close();
    await().until(() -> session("clean-start-5").isEmpty());

    restart();

    assertThat(session("clean-start-5")).isEmpty();
    assertThat(raw5().connect("clean-start-5", false, expiry(300)).sessionPresent()).isFalse();
  }

  @Test
  void aRestoredSessionExpiresWithTheTimeItHadLeftAndStaysGone() throws Exception {
    start();
    for (String[] client : new String[][] {{"short-5", "2"}, {"long-5", "3600"}}) {
      RawClient5 raw = raw5();
      raw.connect(client[0], true, expiry(Long.parseLong(client[1])));
      raw.subscribe(1, Properties.EMPTY, new Subscribe.Request("e/#", 1));
    }

    restart();
    assertThat(session("long-5")).isPresent();
    await().atMost(Duration.ofSeconds(10)).until(() -> session("short-5").isEmpty());
    restart();

    assertThat(session("short-5")).isEmpty();
    assertThat(session("long-5")).hasValueSatisfying(s -> assertThat(s.subscriptions()).containsKey("e/#"));
  }

  @Test
  void retainedMessagesSurviveWithTheirPropertiesAndClearedOnesStayGone_MQTT_3_3_2_4_6_15_16_17_20() throws Exception {
    start();
    try (PahoV5 publisher = PahoV5.connect(broker, "retained-publisher")) {
      MqttMessage withProperties = PahoV5.message("{\"t\":21}", 1, true);
      MqttProperties properties = new MqttProperties();
      properties.setContentType("application/json");
      properties.setPayloadFormat(true);
      properties.setResponseTopic("reply/here");
      properties.setCorrelationData(bytes("corr"));
      properties.setMessageExpiryInterval(3600L);
      properties.setUserProperties(List.of(new UserProperty("k", "v")));
      withProperties.setProperties(properties);
      publisher.client.publish("ret/props", withProperties);
      publisher.client.publish("ret/plain", PahoV5.message("plain", 0, true));
      publisher.client.publish("ret/cleared", PahoV5.message("soon gone", 1, true));
      publisher.client.publish("ret/cleared", PahoV5.message("", 1, true));
    }

    restart();

    RawClient5 subscriber = raw5();
    subscriber.connect("retained-subscriber", Properties.EMPTY);
    subscriber.subscribe(1, Properties.EMPTY, new Subscribe.Request("ret/#", 1));
    List<Publish> retained = new ArrayList<>();
    retained.add(subscriber.read(Publish.class));
    retained.add(subscriber.read(Publish.class));
    // Nothing more: a PINGRESP comes next, not a retained message of ret/cleared.
    Packet next = subscriber.send(PingReq.INSTANCE).read();
    assertThat(next).isInstanceOf(PingResp.class);
    retained.sort((a, b) -> a.topic().compareTo(b.topic()));
    Publish plain = retained.get(0);
    Publish rich = retained.get(1);
    assertThat(plain.topic()).isEqualTo("ret/plain");
    assertThat(RawClient5.text(plain.payload())).isEqualTo("plain");
    assertThat(plain.properties().isEmpty()).isTrue();
    assertThat(rich.topic()).isEqualTo("ret/props");
    assertThat(rich.retain()).isTrue();
    assertThat(RawClient5.text(rich.payload())).isEqualTo("{\"t\":21}");
    Properties p = rich.properties();
    assertThat(p.contentType()).isEqualTo("application/json");
    assertThat(p.payloadFormatIndicator()).isEqualTo(1);
    assertThat(p.responseTopic()).isEqualTo("reply/here");
    assertThat(p.correlationData()).isEqualTo(bytes("corr"));
    assertThat(p.userProperties()).containsExactly(new Properties.UserProperty("k", "v"));
    assertThat(p.messageExpiryInterval()).isBetween(3590L, 3600L);
  }

  @Test
  void compactionGoesOnAcrossRestartsAndKeepsTheLatestRetainedMessages() throws Exception {
    long threshold = 64 * 1024;
    start(b -> StoreTuning.compactionBytes(b, threshold));
    for (int round = 0; round < 3; round++) {
      HiveMq5 publisher = track(HiveMq5.create(broker, "churn-publisher"));
      publisher.client.connect();
      for (int i = 0; i < 3000; i++) { // about 200 KB of records, almost all superseded
        publisher.client.publishWith().topic("churn/" + (i % 10)).qos(MqttQos.AT_LEAST_ONCE).retain(true)
            .payload(bytes("round " + round + " message " + i)).send();
      }
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(files(".snap")).isNotEmpty();
        assertThat(dataBytes()).isLessThan(3 * threshold);
      });

      restart();

      HiveMq5 subscriber = track(HiveMq5.create(broker, "churn-subscriber-" + round));
      subscriber.client.connect();
      subscriber.client.subscribeWith().topicFilter("churn/#").qos(MqttQos.AT_LEAST_ONCE).send();
      int lastRound = round;
      await().untilAsserted(() -> assertThat(subscriber.payloads()).hasSize(10)
          .allMatch(payload -> payload.startsWith("round " + lastRound + " message 29")));
    }
  }

  @Test
  void theBrokersOwnSysTopicsAreNotStored() throws Exception {
    start(b -> b.sysTopicInterval(Duration.ofSeconds(1)));
    HiveMq5 subscriber = track(HiveMq5.create(broker, "sys-subscriber"));
    subscriber.client.connect();
    subscriber.client.subscribeWith().topicFilter("$SYS/broker/clients/connected").send();
    subscriber.client.publishWith().topic("normal/topic").retain(true).payload(bytes("kept")).send();
    await().until(() -> !subscriber.received.isEmpty()); // a retained $SYS message was published
    closeClients();
    broker.close();
    broker = null;

    try (FileStore store = new FileStore(LogConfig.of(dir))) {
      store.open();
      assertThat(store.retained().loadAll().toCompletableFuture().join())
          .extracting(RetainedMessage::topic).containsExactly("normal/topic");
    }
  }

  private List<Path> files(String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
    }
  }

  private long dataBytes() throws IOException {
    long total = 0;
    for (Path file : files("")) {
      total += Files.size(file);
    }
    return total;
  }

  @Test
  void anUnusableDataDirectoryFailsStartNamingIt() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    Broker unusable = Broker.builder().host("127.0.0.1").port(0).dataDirectory(file.resolve("data")).build();
    try {
      assertThatThrownBy(unusable::start).isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("data directory").hasMessageContaining(file.resolve("data").toString());
    } finally {
      unusable.close();
    }
  }

  @Test
  void aSecondBrokerCannotUseADirectoryInUseAndMayOnceItIsReleased() throws Exception {
    start();
    Broker second = Broker.builder().host("127.0.0.1").port(0).dataDirectory(dir).build();
    try {
      assertThatThrownBy(second::start).isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining(dir.toAbsolutePath().toString());
    } finally {
      second.close();
    }
    broker.close();
    Broker third = Broker.builder().host("127.0.0.1").port(0).dataDirectory(dir).build();
    third.start().close();
  }

  @Test
  void anExplicitSessionStoreWinsOverTheDataDirectory() throws Exception {
    MemorySessionStore memory = new MemorySessionStore();
    start(b -> b.sessionStore(memory).durability(Durability.batch(Duration.ofMillis(5))));
    try (Paho client = Paho.connect(broker, "in-memory", Paho.options(false))) {
      client.client.subscribe("m/#", 1);
    }
    await().until(() -> memory.loadAll().toCompletableFuture().join().stream()
        .map(StoredSession::clientId).anyMatch("in-memory"::equals));
    closeClients();
    broker.close();

    start(); // the directory alone: it never saw the session

    assertThat(session("in-memory")).isEmpty();
  }
}
