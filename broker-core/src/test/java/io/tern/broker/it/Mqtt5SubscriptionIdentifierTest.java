package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.core.codec.Disconnect;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.core.codec.Subscribe;
import io.tern.broker.message.ReasonCode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Subscription Identifiers on the messages the broker sends. The subscriber's home is loop 0; the
 * publisher's is loop 0 or loop 1, so that identifiers are seen to travel between loops too.
 */
@Timeout(30)
class Mqtt5SubscriptionIdentifierTest extends Mqtt5BrokerTest {

  @ParameterizedTest(name = "publisher on loop {0}")
  @ValueSource(ints = {0, 1})
  void aMatchingMessageCarriesTheSubscriptionsIdentifier_MQTT_3_3_4_3(int publisherLoop) throws Exception {
    RawClient5 subscriber = raw5(onLoop("sid-sub", 0));
    subscribe(subscriber, 1, "sid/#", 1, 7);
    Paho publisher = connectPaho(onLoop("sid-pub", publisherLoop));

    publisher.publish("sid/a", "m", 1, false);

    Publish received = subscriber.read(Publish.class);
    assertThat(received.properties().subscriptionIdentifiers()).containsExactly(7);
  }

  @ParameterizedTest(name = "publisher on loop {0}")
  @ValueSource(ints = {0, 1})
  void overlappingSubscriptionsGiveOneMessageWithEveryIdentifierAtTheHighestQos_MQTT_3_3_4_2_MQTT_3_3_4_4(
      int publisherLoop) throws Exception {
    // two subscribers with the higher QoS on one filter or the other, whichever the broker matches first
    RawClient5 first = raw5(onLoop("overlap-sub-a", 0));
    subscribe(first, 1, "ov/+", 0, 1);
    subscribe(first, 2, "ov/#", 2, 268_435_455); // the largest identifier there is
    subscribe(first, 3, "ov/a", 1, null);
    RawClient5 second = raw5(onLoop("overlap-sub-b", 0));
    subscribe(second, 1, "ov/+", 2, 1);
    subscribe(second, 2, "ov/#", 0, 268_435_455);
    subscribe(second, 3, "ov/a", 1, null);
    Paho publisher = connectPaho(onLoop("overlap-pub", publisherLoop));

    publisher.publish("ov/a", "first", 2, false);
    publisher.publish("ov/b", "second", 2, false);

    for (RawClient5 subscriber : List.of(first, second)) {
      // one copy each: a second copy of the first message would come before the second message
      for (String payload : List.of("first", "second")) {
        Publish received = subscriber.read(Publish.class);
        assertThat(RawClient5.text(received.payload())).isEqualTo(payload);
        assertThat(received.qos()).isEqualTo(2);
        assertThat(received.properties().subscriptionIdentifiers()).containsExactlyInAnyOrder(1, 268_435_455);
      }
    }
  }

  @Test
  void aSubscriptionWithoutIdentifierGivesNone() throws Exception {
    RawClient5 subscriber = raw5(onLoop("none-sub", 0));
    subscribe(subscriber, 1, "none/#", 1, null);
    subscribe(subscriber, 2, "mixed/+", 1, null);
    subscribe(subscriber, 3, "mixed/#", 1, 3);
    Paho publisher = connectPaho(onLoop("none-pub", 1));

    publisher.publish("none/a", "m", 1, false);
    publisher.publish("mixed/a", "m", 1, false);

    assertThat(subscriber.read(Publish.class).properties().subscriptionIdentifiers()).isEmpty();
    // one subscription has an identifier, the other none: the message carries that one
    assertThat(subscriber.read(Publish.class).properties().subscriptionIdentifiers()).containsExactly(3);
  }

  @Test
  void replacingASubscriptionReplacesItsIdentifier_MQTT_3_8_4_3() throws Exception {
    RawClient5 subscriber = raw5(onLoop("replace-sub", 0));
    Paho publisher = connectPaho(onLoop("replace-pub", 1));

    subscribe(subscriber, 1, "rep/#", 1, 5);
    publisher.publish("rep/a", "m", 1, false);
    assertThat(subscriber.read(Publish.class).properties().subscriptionIdentifiers()).containsExactly(5);
    subscribe(subscriber, 2, "rep/#", 1, 6);
    publisher.publish("rep/a", "m", 1, false);
    assertThat(subscriber.read(Publish.class).properties().subscriptionIdentifiers()).containsExactly(6);
    subscribe(subscriber, 3, "rep/#", 1, null);
    publisher.publish("rep/a", "m", 1, false);
    assertThat(subscriber.read(Publish.class).properties().subscriptionIdentifiers()).isEmpty();
  }

  @Test
  void aMessageQueuedForAnOfflineSessionKeepsItsIdentifiers_MQTT_3_3_4_3() throws Exception {
    Properties persistent = Properties.builder().sessionExpiryInterval(300).build();
    try (RawClient5 first = new RawClient5(broker)) {
      first.connect("sid-offline", persistent);
      subscribe(first, 1, "off/#", 1, 31);
      subscribe(first, 2, "off/+", 1, 32);
    }
    Paho publisher = connectPaho("sid-offline-pub");
    await().until(() -> broker.admin().session("sid-offline").toCompletableFuture().join()
        .map(session -> session.client().isEmpty()).orElse(false));

    publisher.publish("off/a", "queued", 1, false);
    RawClient5 second = track(new RawClient5(broker));
    assertThat(second.connect("sid-offline", false, persistent).sessionPresent()).isTrue();

    Publish queued = second.read(Publish.class);
    assertThat(RawClient5.text(queued.payload())).isEqualTo("queued");
    assertThat(queued.properties().subscriptionIdentifiers()).containsExactlyInAnyOrder(31, 32);
  }

  @Test
  void aRetainedMessageSentOnSubscribingCarriesTheNewSubscriptionsIdentifier() throws Exception {
    connectPaho("retained-sid-pub").publish("rsid/a", "retained", 1, true);
    RawClient5 subscriber = raw5("retained-sid-sub");

    subscribe(subscriber, 1, "rsid/#", 1, 11);

    Publish retained = subscriber.read(Publish.class);
    assertThat(retained.retain()).isTrue();
    assertThat(retained.properties().subscriptionIdentifiers()).containsExactly(11);
  }

  @Test
  void aSubscriptionIdentifierOf0IsAProtocolError() throws Exception {
    RawClient5 client = raw5("sid-zero");

    // SUBSCRIBE id 1, properties: Subscription Identifier (0x0B) 0, filter "a" at QoS 1
    client.send(0x82, 9, 0, 1, 2, 0x0B, 0, 0, 1, 'a', 1);

    assertThat(client.read(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    assertThat(client.closedByBroker()).isTrue();
  }

  @Test
  void twoSubscriptionIdentifiersInOneSubscribeAreAProtocolError() throws Exception {
    RawClient5 client = raw5("sid-two");

    client.send(new Subscribe(1, List.of(new Subscribe.Request("a", 1)),
        Properties.builder().subscriptionIdentifier(1).subscriptionIdentifier(2).build()));

    assertThat(client.read(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    assertThat(client.closedByBroker()).isTrue();
  }

  @Test
  void aClientsPublishWithASubscriptionIdentifierIsAProtocolError_MQTT_3_3_4_6() throws Exception {
    RawClient5 client = raw5("sid-in-publish");

    client.send(new Publish("sid-in/a", 0, false, false, 0, new byte[] {1},
        Properties.builder().subscriptionIdentifier(3).build()));

    assertThat(client.read(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    assertThat(client.closedByBroker()).isTrue();
  }

  @Test
  void pahoV5ReceivesTheIdentifiersOfItsSubscriptions_MQTT_3_3_4_3() throws Exception {
    List<MqttMessage> received = new CopyOnWriteArrayList<>();
    MqttAsyncClient paho = new MqttAsyncClient(TestBrokers.uri(broker), "sid-paho", new MemoryPersistence());
    try {
      paho.setCallback(new Recorder(received));
      paho.connect(PahoV5.options()).waitForCompletion(5000);
      MqttProperties first = new MqttProperties();
      first.setSubscriptionIdentifier(21);
      paho.subscribe(new MqttSubscription[] {new MqttSubscription("paho/+", 1)}, null, null, first)
          .waitForCompletion(5000);
      MqttProperties second = new MqttProperties();
      second.setSubscriptionIdentifier(22);
      paho.subscribe(new MqttSubscription[] {new MqttSubscription("paho/#", 0)}, null, null, second)
          .waitForCompletion(5000);

      connectPaho("sid-paho-pub").publish("paho/x", "m", 1, false);

      await().until(() -> received.size() == 1);
      assertThat(received.get(0).getProperties().getSubscriptionIdentifiers()).containsExactlyInAnyOrder(21, 22);
      assertThat(received.get(0).getQos()).isEqualTo(1);
    } finally {
      if (paho.isConnected()) {
        paho.disconnect().waitForCompletion(5000);
      }
      paho.close(true);
    }
  }

  private static void subscribe(RawClient5 subscriber, int packetId, String filter, int qos, Integer identifier)
      throws Exception {
    Properties properties = identifier == null ? Properties.EMPTY
        : Properties.builder().subscriptionIdentifier(identifier).build();
    byte[] codes = subscriber.subscribe(packetId, properties, new Subscribe.Request(filter, qos)).returnCodes();
    assertThat(codes).containsExactly(qos);
  }

  /** A client id starting with {@code prefix} whose home is this loop of the two test loops. */
  static String onLoop(String prefix, int loop) {
    for (int i = 0; ; i++) {
      String id = prefix + "-" + i;
      if (Math.floorMod(id.hashCode(), 2) == loop) {
        return id;
      }
    }
  }

  private record Recorder(List<MqttMessage> received) implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      received.add(message);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
