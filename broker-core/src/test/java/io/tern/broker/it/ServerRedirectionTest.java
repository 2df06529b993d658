package io.tern.broker.it;

import static io.tern.broker.it.EnhancedAuthenticationTest.connect;
import static io.tern.broker.it.EnhancedAuthenticationTest.expect;
import static io.tern.broker.it.ReverseAuthenticator.ELSEWHERE;
import static io.tern.broker.it.ReverseAuthenticator.METHOD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.tern.broker.BrokerBuilder;
import io.tern.broker.client.ClientInfo;
import io.tern.broker.client.DisconnectReason;
import io.tern.broker.core.codec.Auth;
import io.tern.broker.core.codec.ConnAck;
import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.Disconnect;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.hook.LifecycleListener;
import io.tern.broker.message.ReasonCode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Server redirection (MQTT 5.0 section 4.11): Reason Codes 0x9C and 0x9D with a Server
 * Reference, from an authenticator at CONNECT or re-authentication and from the admin API.
 */
@Timeout(30)
class ServerRedirectionTest extends BrokerTest {
  private final ReverseAuthenticator authenticator = new ReverseAuthenticator();
  private final List<DisconnectReason> disconnections = new CopyOnWriteArrayList<>();

  @Override
  protected BrokerBuilder configure(BrokerBuilder builder) {
    return builder.authenticator(authenticator).addLifecycleListener(new LifecycleListener() {
      @Override
      public void onDisconnected(ClientInfo client, DisconnectReason reason) {
        disconnections.add(reason);
      }
    });
  }

  @AfterEach
  void stopAuthenticator() {
    authenticator.close();
  }

  @Test
  void anAuthenticatorRedirectsAnMqtt5ClientWithTheServerReference() throws Exception {
    Mqtt5BlockingClient client = Mqtt5Client.builder().identifier("mover").serverHost("127.0.0.1")
        .serverPort(broker.port()).simpleAuth().username("moved").applySimpleAuth().buildBlocking();
    assertThatThrownBy(client::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class, refused -> {
      Mqtt5ConnAck connAck = refused.getMqttMessage();
      assertThat(connAck.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SERVER_MOVED);
      assertThat(connAck.getServerReference().map(Object::toString)).contains(ELSEWHERE);
    });
    // also at the end of an enhanced authentication exchange, temporarily
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(connect("visitor", METHOD, "1 redirect"));
      EnhancedAuthenticationTest.answer(raw, expect(raw.read5(), Auth.class));
      ConnAck connAck = expect(raw.read5(), ConnAck.class);
      assertThat(connAck.reasonCode()).isEqualTo(ReasonCode.USE_ANOTHER_SERVER);
      assertThat(connAck.properties().serverReference()).isEqualTo(ELSEWHERE);
      assertThat(raw.closedByBroker()).isTrue();
    }
  }

  @Test
  void anMqtt311ClientIsRedirectedWithReturnCode3() throws Exception {
    MqttConnectOptions options = Paho.options(true);
    options.setUserName("moved");
    options.setPassword("x".toCharArray());
    assertThat(Paho.refusal(broker, "old-mover", options)).isEqualTo(3);
  }

  @Test
  void aReauthenticationCanEndInARedirection() throws Exception {
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(connect("settled", METHOD, "0 allow"));
      assertThat(expect(raw.read5(), ConnAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      raw.send5(EnhancedAuthenticationTest.auth(ReasonCode.RE_AUTHENTICATE, METHOD, "0 moved"));
      Disconnect disconnect = expect(raw.read5(), Disconnect.class);
      assertThat(disconnect.reasonCode()).isEqualTo(ReasonCode.SERVER_MOVED);
      assertThat(disconnect.properties().serverReference()).isEqualTo(ELSEWHERE);
      assertThat(raw.closedByBroker()).isTrue();
    }
  }

  @Test
  void theAdminApiRedirectsAnMqtt5ClientWithDisconnectAndServerReference() throws Exception {
    AtomicReference<Throwable> cause = new AtomicReference<>();
    Mqtt5BlockingClient hive = Mqtt5Client.builder().identifier("hive-redirected").serverHost("127.0.0.1")
        .serverPort(broker.port()).addDisconnectedListener(context -> cause.set(context.getCause())).buildBlocking();
    hive.connect();
    assertThat(broker.admin().redirect("hive-redirected", "mqtt2.example:1883", false).toCompletableFuture().join())
        .isTrue();
    await().until(() -> cause.get() != null);
    assertThat(cause.get()).isInstanceOfSatisfying(Mqtt5DisconnectException.class, e -> {
      Mqtt5Disconnect disconnect = e.getMqttMessage();
      assertThat(disconnect.getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.USE_ANOTHER_SERVER);
      assertThat(disconnect.getServerReference().map(Object::toString)).contains("mqtt2.example:1883");
    });

    try (RawClient raw = new RawClient(broker)) {
      raw.send5(new Connect("MQTT", 5, true, 0, "raw-redirected", null, null, null, Properties.EMPTY));
      assertThat(expect(raw.read5(), ConnAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      assertThat(broker.admin().redirect("raw-redirected", "mqtt3.example", true).toCompletableFuture().join())
          .isTrue();
      Disconnect disconnect = expect(raw.read5(), Disconnect.class);
      assertThat(disconnect.reasonCode()).isEqualTo(ReasonCode.SERVER_MOVED);
      assertThat(disconnect.properties().serverReference()).isEqualTo("mqtt3.example");
      assertThat(raw.closedByBroker()).isTrue();
    }
    await().until(() -> disconnections.equals(List.of(DisconnectReason.ADMINISTRATIVE, DisconnectReason.ADMINISTRATIVE)));
  }

  @Test
  void theAdminApiJustDisconnectsAnMqtt311Client() throws Exception {
    try (RawClient raw = new RawClient(broker)) {
      raw.connect("old-timer", true);
      assertThat(broker.admin().redirect("old-timer", "mqtt2.example", true).toCompletableFuture().join()).isTrue();
      assertThat(raw.closedByBroker()).isTrue(); // no DISCONNECT: the stream just ends
    }
    assertThat(broker.admin().redirect("nobody", "mqtt2.example", true).toCompletableFuture().join()).isFalse();
  }

  @Test
  void theAdminApiRefusesAReferenceThatIsNoMqttString() {
    assertThatThrownBy(() -> broker.admin().redirect("anyone", "bad\0reference", false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> broker.admin().redirect("anyone", "\ud800", false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
