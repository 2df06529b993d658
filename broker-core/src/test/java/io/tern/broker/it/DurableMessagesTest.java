package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.admin.SessionInfo;
import io.tern.broker.core.codec.Packet;
import io.tern.broker.core.codec.PingReq;
import io.tern.broker.core.codec.PingResp;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.PubAck;
import io.tern.broker.core.codec.PubComp;
import io.tern.broker.core.codec.PubRec;
import io.tern.broker.core.codec.PubRel;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.core.codec.Subscribe;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A broker with a data directory, closed and built again on the same directory: the QoS 1 and 2
 * messages queued for or in flight to a persistent session come back after the restart, and what
 * was acknowledged, expired or ended with its session does not.
 */
@Timeout(60)
class DurableMessagesTest extends RestartedBrokerTest {
  private static final String SUBSCRIBER = "durable-subscriber";

  /** A persistent session subscribed to {@code d/#} at QoS 2 with Subscription Identifier 5, left offline. */
  private void offlineSubscriber() throws Exception {
    RawClient5 subscriber = raw5();
    subscriber.connect(SUBSCRIBER, true, expiry(3600));
    subscriber.subscribe(1, Properties.builder().subscriptionIdentifier(5).build(),
        new Subscribe.Request("d/#", 2));
    subscriber.close();
    await().until(() -> session(SUBSCRIBER).map(s -> !s.connected()).orElse(false));
  }

  /** Publishes with the acknowledgements a publisher owes, and waits for the broker's. */
  private static void publish(RawClient5 publisher, int packetId, String topic, int qos, String payload,
      Properties properties) throws IOException {
    publisher.send(new Publish(topic, qos, false, false, qos == 0 ? 0 : packetId, bytes(payload), properties));
    if (qos == 1) {
      publisher.read(PubAck.class);
    } else if (qos == 2) {
      publisher.read(PubRec.class);
      publisher.send(new PubRel(packetId));
      publisher.read(PubComp.class);
    }
  }

  private RawClient5 publisher() throws IOException {
    RawClient5 publisher = raw5();
    publisher.connect("durable-publisher", Properties.EMPTY);
    return publisher;
  }

  /** Acknowledges a PUBLISH the way its QoS asks. */
  private static void acknowledge(RawClient5 client, Publish publish) throws IOException {
    if (publish.qos() == 1) {
      client.send(new PubAck(publish.packetId()));
    } else {
      client.send(new PubRec(publish.packetId()));
      assertThat(client.read(PubRel.class).packetId()).isEqualTo(publish.packetId());
      client.send(new PubComp(publish.packetId()));
    }
  }

  /** Reconnects the subscriber to its session and checks that nothing is sent to it. */
  private void expectNothingFor(String clientId) throws IOException {
    RawClient5 client = raw5();
    assertThat(client.connect(clientId, false, expiry(3600)).sessionPresent()).isTrue();
    Packet next = client.send(PingReq.INSTANCE).read();
    assertThat(next).as("nothing before the PINGRESP").isInstanceOf(PingResp.class);
  }

  @Test
  void queuedQos1AndQos2MessagesSurviveARestartInOrderAndAcknowledgedOnesStayGone() throws Exception {
    start();
    offlineSubscriber();
    RawClient5 publisher = publisher();
    publish(publisher, 1, "d/1", 1, "one", Properties.EMPTY);
    publish(publisher, 2, "d/2", 2, "two", Properties.builder().messageExpiryInterval(3600)
        .contentType("text/plain").userProperty("k", "v").build());
    publish(publisher, 0, "d/0", 0, "zero", Properties.EMPTY); // QoS 0 is not kept for offline clients
    publish(publisher, 3, "d/3", 1, "three", Properties.EMPTY);
    await().until(() -> session(SUBSCRIBER).map(SessionInfo::queuedMessages).orElse(0) == 3);

    restart();

    assertThat(session(SUBSCRIBER)).hasValueSatisfying(s -> assertThat(s.queuedMessages()).isEqualTo(3));
    RawClient5 subscriber = raw5();
    assertThat(subscriber.connect(SUBSCRIBER, false, expiry(3600)).sessionPresent()).isTrue();
    List<Publish> received = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      received.add(subscriber.read(Publish.class));
    }
    assertThat(received).extracting(p -> RawClient5.text(p.payload())).containsExactly("one", "two", "three");
    assertThat(received).extracting(Publish::topic).containsExactly("d/1", "d/2", "d/3");
    assertThat(received).extracting(Publish::qos).containsExactly(1, 2, 1);
    assertThat(received).extracting(Publish::dup).containsOnly(false);
    assertThat(received).allSatisfy(p ->
        assertThat(p.properties().subscriptionIdentifiers()).containsExactly(5));
    Properties forwarded = received.get(1).properties();
    assertThat(forwarded.contentType()).isEqualTo("text/plain");
    assertThat(forwarded.userProperties()).containsExactly(new Properties.UserProperty("k", "v"));
    assertThat(forwarded.messageExpiryInterval()).isBetween(3500L, 3600L);
    for (Publish publish : received) {
      acknowledge(subscriber, publish);
    }
    await().until(() -> session(SUBSCRIBER).map(s -> s.inflightMessages() == 0).orElse(false));

    restart();

    expectNothingFor(SUBSCRIBER);
  }

  @Test
  void inFlightMessagesAreResentWithDupAndTheirPacketIdsAfterARestart_MQTT_4_4_0_1_MQTT_3_3_1_1() throws Exception {
    start();
    RawClient5 subscriber = raw5();
    subscriber.connect(SUBSCRIBER, true, expiry(3600));
    subscriber.subscribe(1, Properties.EMPTY, new Subscribe.Request("d/#", 2));
    RawClient5 publisher = publisher();
    publish(publisher, 1, "d/a", 1, "at least once", Properties.EMPTY);
    publish(publisher, 2, "d/b", 2, "exactly once", Properties.EMPTY);
    publish(publisher, 3, "d/c", 1, "acknowledged", Properties.EMPTY);
    Publish first = subscriber.read(Publish.class);
    Publish second = subscriber.read(Publish.class);
    Publish third = subscriber.read(Publish.class);
    subscriber.send(new PubAck(third.packetId())); // only the third is acknowledged
    await().until(() -> session(SUBSCRIBER).map(s -> s.inflightMessages() == 2).orElse(false));

    restart();

    RawClient5 again = raw5();
    assertThat(again.connect(SUBSCRIBER, false, expiry(3600)).sessionPresent()).isTrue();
    Publish resentFirst = again.read(Publish.class);
    Publish resentSecond = again.read(Publish.class);
    assertThat(List.of(resentFirst, resentSecond)).extracting(p -> RawClient5.text(p.payload()))
        .containsExactly("at least once", "exactly once");
    assertThat(List.of(resentFirst, resentSecond)).extracting(Publish::dup).containsOnly(true);
    assertThat(resentFirst.packetId()).isEqualTo(first.packetId());
    assertThat(resentSecond.packetId()).isEqualTo(second.packetId());
    assertThat(resentSecond.qos()).isEqualTo(2);
    acknowledge(again, resentFirst);
    acknowledge(again, resentSecond);
    // New messages take packet ids that are free, and go out after the resends.
    publish(publisher(), 4, "d/d", 1, "after", Properties.EMPTY);
    Publish after = again.read(Publish.class);
    assertThat(RawClient5.text(after.payload())).isEqualTo("after");
    assertThat(after.dup()).isFalse();
    again.send(new PubAck(after.packetId()));
    await().until(() -> session(SUBSCRIBER).map(s -> s.inflightMessages() == 0).orElse(false));

    restart();

    expectNothingFor(SUBSCRIBER);
  }

  @Test
  void aQueuedMessageSentOnReconnectIsResentWithDupAndItsPacketIdAfterARestart_MQTT_4_4_0_1() throws Exception {
    start();
    offlineSubscriber();
    publish(publisher(), 1, "d/q", 2, "queued, then sent", Properties.EMPTY);
    await().until(() -> session(SUBSCRIBER).map(SessionInfo::queuedMessages).orElse(0) == 1);
    RawClient5 subscriber = raw5();
    subscriber.connect(SUBSCRIBER, false, expiry(3600));
    Publish sent = subscriber.read(Publish.class);
    assertThat(sent.dup()).isFalse();
    await().until(() -> session(SUBSCRIBER).map(s -> s.inflightMessages() == 1).orElse(false));

    restart();

    RawClient5 again = raw5();
    assertThat(again.connect(SUBSCRIBER, false, expiry(3600)).sessionPresent()).isTrue();
    Publish resent = again.read(Publish.class);
    assertThat(RawClient5.text(resent.payload())).isEqualTo("queued, then sent");
    assertThat(resent.dup()).isTrue();
    assertThat(resent.packetId()).isEqualTo(sent.packetId());
    acknowledge(again, resent);
  }

  @Test
  void messagesWhoseExpiryPassedWhileTheBrokerWasDownAreNotDelivered_MQTT_3_3_2_5() throws Exception {
    start();
    offlineSubscriber();
    RawClient5 publisher = publisher();
    publish(publisher, 1, "d/short", 1, "expires", Properties.builder().messageExpiryInterval(1).build());
    publish(publisher, 2, "d/long", 2, "stays", Properties.builder().messageExpiryInterval(3600).build());
    long publishedAt = System.currentTimeMillis();
    await().until(() -> session(SUBSCRIBER).map(SessionInfo::queuedMessages).orElse(0) == 2);
    closeClients();
    broker.close();
    // The expiry counts in wall-clock time across the restart.
    await().until(() -> System.currentTimeMillis() > publishedAt + 1_500);
    start();

    RawClient5 subscriber = raw5();
    assertThat(subscriber.connect(SUBSCRIBER, false, expiry(3600)).sessionPresent()).isTrue();
    Publish only = subscriber.read(Publish.class);
    assertThat(RawClient5.text(only.payload())).isEqualTo("stays");
    acknowledge(subscriber, only);
    assertThat(subscriber.send(PingReq.INSTANCE).read()).isInstanceOf(PingResp.class);

    restart();

    expectNothingFor(SUBSCRIBER);
  }

  @Test
  void aSessionThatEndedTakesItsMessagesWithIt_MQTT_3_1_2_4() throws Exception {
    start();
    offlineSubscriber();
    RawClient5 publisher = publisher();
    publish(publisher, 1, "d/old", 1, "for the old session", Properties.EMPTY);
    publish(publisher, 2, "d/old", 2, "also for the old session", Properties.EMPTY);
    await().until(() -> session(SUBSCRIBER).map(SessionInfo::queuedMessages).orElse(0) == 2);
    // Clean Start ends the old session; the new one is persistent too and gets a message of its own.
    RawClient5 fresh = raw5();
    assertThat(fresh.connect(SUBSCRIBER, true, expiry(3600)).sessionPresent()).isFalse();
    fresh.subscribe(1, Properties.EMPTY, new Subscribe.Request("d/#", 1));
    fresh.close();
    await().until(() -> session(SUBSCRIBER).map(s -> !s.connected()).orElse(false));
    publish(publisher, 3, "d/new", 1, "for the new session", Properties.EMPTY);
    await().until(() -> session(SUBSCRIBER).map(SessionInfo::queuedMessages).orElse(0) == 1);

    restart();

    RawClient5 subscriber = raw5();
    assertThat(subscriber.connect(SUBSCRIBER, false, expiry(3600)).sessionPresent()).isTrue();
    Publish only = subscriber.read(Publish.class);
    assertThat(RawClient5.text(only.payload())).isEqualTo("for the new session");
    acknowledge(subscriber, only);
    assertThat(subscriber.send(PingReq.INSTANCE).read()).isInstanceOf(PingResp.class);
  }

  @Test
  void aSessionRemovedThroughTheAdminApiLeavesNoMessagesBehind() throws Exception {
    start();
    offlineSubscriber();
    publish(publisher(), 1, "d/x", 1, "gone with the session", Properties.EMPTY);
    await().until(() -> session(SUBSCRIBER).map(SessionInfo::queuedMessages).orElse(0) == 1);
    assertThat(broker.admin().removeSession(SUBSCRIBER).toCompletableFuture().join()).isTrue();

    restart();

    assertThat(session(SUBSCRIBER)).isEmpty();
    RawClient5 subscriber = raw5();
    assertThat(subscriber.connect(SUBSCRIBER, false, expiry(3600)).sessionPresent()).isFalse();
    assertThat(subscriber.send(PingReq.INSTANCE).read()).isInstanceOf(PingResp.class);
  }
}
