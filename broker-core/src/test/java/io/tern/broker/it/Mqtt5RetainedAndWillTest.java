package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.Packet;
import io.tern.broker.core.codec.PacketType;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.PubAck;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.core.codec.SubAck;
import io.tern.broker.core.codec.Subscribe;
import io.tern.broker.message.Message;
import io.tern.broker.message.ReasonCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Retained messages and wills from MQTT 5 clients: what a RETAIN flag of 1 or 0 does to the
 * topic's retained message, empty retained payloads, and the Will Retain flag. Subscribers that
 * must see the RETAIN flag of a live message subscribe with Retain As Published, since MQTT 5
 * clears it otherwise.
 */
@Timeout(30)
class Mqtt5RetainedAndWillTest extends Mqtt5BrokerTest {
  private static final Duration QUIET = Duration.ofMillis(700);

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String payload(Publish publish) {
    return new String(publish.payload(), StandardCharsets.UTF_8);
  }

  private void publish(String topic, boolean retain, String payload) throws IOException {
    try (RawMqtt5Client publisher = RawMqtt5Client.connected(broker,
        RawMqtt5Client.connectPacket("publisher", true, 60, Properties.EMPTY))) {
      publisher.publishAndComplete(new Publish(topic, 1, retain, false, 1, utf8(payload), Properties.EMPTY));
    }
  }

  /** A subscriber at QoS 1 that keeps the RETAIN flag of live messages (Retain As Published). */
  private RawMqtt5Client retainAsPublished(String clientId, String filter) throws IOException {
    RawMqtt5Client client = rawMqtt5(clientId);
    client.send(new Subscribe(1, List.of(new Subscribe.Request(filter, 1, false, true, Subscribe.SEND_RETAINED)),
        Properties.EMPTY));
    assertThat(((SubAck) client.read(PacketType.SUBACK)).returnCodes()).containsExactly(1);
    return client;
  }

  private static Publish next(RawMqtt5Client client) throws IOException {
    Publish publish = (Publish) client.read(PacketType.PUBLISH);
    if (publish.qos() == 1) {
      client.send(new PubAck(publish.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
    }
    return publish;
  }

  private static void assertQuiet(RawMqtt5Client client) throws IOException {
    Optional<Packet> extra = client.poll(QUIET);
    assertThat(extra).as("a packet the broker should not have sent").isEmpty();
  }

  private List<Message> retained() {
    return broker.admin().retainedMessages();
  }

  @Test
  void aRetainedPublishReplacesTheRetainedMessageOfItsTopic_MQTT_3_3_1_5() throws Exception {
    publish("temp", true, "20");
    publish("temp", true, "21");
    publish("temp/other", true, "elsewhere");

    RawMqtt5Client late = rawMqtt5("late");
    late.subscribe(1, "temp", 1);
    Publish kept = next(late);
    assertThat(payload(kept)).isEqualTo("21");
    assertThat(kept.retain()).isTrue();
    assertQuiet(late);
    assertThat(retained()).extracting(Message::topic, m -> new String(m.payload(), StandardCharsets.UTF_8))
        .containsExactlyInAnyOrder(tuple("temp", "21"), tuple("temp/other", "elsewhere"));
  }

  @Test
  void anEmptyRetainedPublishIsDeliveredAndRemovesTheRetainedMessageWithoutBeingStored_MQTT_3_3_1_6_MQTT_3_3_1_7()
      throws Exception {
    RawMqtt5Client live = retainAsPublished("live", "gone/#");
    publish("gone/a", true, "soon");
    publish("gone/a", true, "");
    publish("gone/never-retained", true, "");

    Publish soon = next(live);
    assertThat(payload(soon)).isEqualTo("soon");
    Publish empty = next(live); // delivered as usual, with its RETAIN flag as published
    assertThat(empty.topic()).isEqualTo("gone/a");
    assertThat(empty.payload()).isEmpty();
    assertThat(empty.retain()).isTrue();
    Publish other = next(live);
    assertThat(other.topic()).isEqualTo("gone/never-retained");
    assertThat(other.payload()).isEmpty();

    RawMqtt5Client late = rawMqtt5("late");
    late.subscribe(1, "gone/#", 1);
    assertQuiet(late); // nothing retained: the old message was removed and the empty ones not kept
    assertThat(retained()).extracting(Message::topic).doesNotContain("gone/a", "gone/never-retained");
  }

  @Test
  void aPublishWithoutRetainIsNotStoredAndLeavesTheRetainedMessageAsItWas_MQTT_3_3_1_8() throws Exception {
    publish("stay", true, "kept");
    RawMqtt5Client live = retainAsPublished("live", "stay");
    Publish retainedOnSubscribe = next(live);
    assertThat(payload(retainedOnSubscribe)).isEqualTo("kept");

    publish("stay", false, "live only");
    publish("fresh", false, "not kept either");
    Publish liveOnly = next(live);
    assertThat(payload(liveOnly)).isEqualTo("live only");
    assertThat(liveOnly.retain()).isFalse();

    RawMqtt5Client late = rawMqtt5("late");
    late.send(new Subscribe(1, List.of(new Subscribe.Request("stay", 1), new Subscribe.Request("fresh", 1)),
        Properties.EMPTY));
    late.read(PacketType.SUBACK);
    Publish kept = next(late);
    assertThat(payload(kept)).isEqualTo("kept");
    assertThat(kept.retain()).isTrue();
    assertQuiet(late);
    assertThat(retained()).extracting(Message::topic, m -> new String(m.payload(), StandardCharsets.UTF_8))
        .containsExactly(tuple("stay", "kept"));
  }

  private static Connect.Will will(String topic, String payload, boolean retain) {
    return new Connect.Will(topic, utf8(payload), 1, retain, Properties.EMPTY);
  }

  /** Connects a client with this will, lets it work a little, and drops its connection without DISCONNECT. */
  private void dieWithWill(String clientId, Connect.Will will) throws IOException {
    try (RawMqtt5Client dying = RawMqtt5Client.connected(broker,
        RawMqtt5Client.connectPacket(clientId, true, 60, Properties.EMPTY, will))) {
      dying.subscribe(1, "chatter/#", 1);
      dying.publish("chatter/" + clientId, 0, 0, "still here");
      next(dying); // its own message comes back
    }
  }

  @Test
  void theWillIsStoredAtConnectAndPublishedWhenTheConnectionEndsWithoutDisconnect_MQTT_3_1_2_7() throws Exception {
    RawMqtt5Client watcher = rawMqtt5("watcher");
    watcher.subscribe(1, "wills/#", 2);

    dieWithWill("dying", will("wills/dying", "gone", false));

    Publish will = next(watcher);
    assertThat(will.topic()).isEqualTo("wills/dying");
    assertThat(payload(will)).isEqualTo("gone");
    assertThat(will.qos()).isEqualTo(1);
    assertQuiet(watcher); // once
  }

  @Test
  void aWillWithRetain0IsPublishedAsANonRetainedMessage_MQTT_3_1_2_14() throws Exception {
    RawMqtt5Client watcher = retainAsPublished("watcher", "wills/#");

    dieWithWill("fleeting", will("wills/fleeting", "once", false));

    Publish will = next(watcher);
    assertThat(payload(will)).isEqualTo("once");
    assertThat(will.retain()).isFalse();
    RawMqtt5Client late = rawMqtt5("late");
    late.subscribe(1, "wills/#", 1);
    assertQuiet(late);
    assertThat(retained()).isEmpty();
  }

  @Test
  void aWillWithRetain1IsPublishedAsARetainedMessage_MQTT_3_1_2_15() throws Exception {
    RawMqtt5Client watcher = retainAsPublished("watcher", "wills/#");

    dieWithWill("lasting", will("wills/state", "offline", true));

    Publish will = next(watcher);
    assertThat(payload(will)).isEqualTo("offline");
    assertThat(will.retain()).isTrue();
    await().until(() -> !retained().isEmpty());
    assertThat(retained()).extracting(Message::topic).containsExactly("wills/state");
    RawMqtt5Client late = rawMqtt5("late");
    late.subscribe(1, "wills/#", 1);
    Publish kept = next(late);
    assertThat(payload(kept)).isEqualTo("offline");
    assertThat(kept.retain()).isTrue();
  }
}
