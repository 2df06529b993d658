package io.tern.broker.it;

import static io.tern.broker.it.ReverseAuthenticator.METHOD;
import static io.tern.broker.it.ReverseAuthenticator.WELCOME;
import static io.tern.broker.it.ReverseAuthenticator.bytes;
import static io.tern.broker.it.ReverseAuthenticator.reverse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuth;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tern.broker.Broker;
import io.tern.broker.BrokerBuilder;
import io.tern.broker.core.codec.Auth;
import io.tern.broker.core.codec.ConnAck;
import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.Disconnect;
import io.tern.broker.core.codec.Packet;
import io.tern.broker.core.codec.PacketType;
import io.tern.broker.core.codec.PingReq;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.core.codec.Subscribe;
import io.tern.broker.hook.LifecycleListener;
import io.tern.broker.message.ReasonCode;
import io.tern.broker.spi.auth.AuthRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MQTT 5 enhanced authentication (section 4.12) through the authenticator SPI, with the toy
 * {@link ReverseAuthenticator} method: exchanges at CONNECT, re-authentication, and the protocol
 * errors around them.
 */
@Timeout(30)
class EnhancedAuthenticationTest extends BrokerTest {
  /** An authentication failure as lifecycle listeners hear of it. */
  record Failure(String clientId, ReasonCode reason) {}

  private final ReverseAuthenticator authenticator = new ReverseAuthenticator();
  private final List<Failure> failures = new CopyOnWriteArrayList<>();

  @Override
  protected BrokerBuilder configure(BrokerBuilder builder) {
    return builder.authenticator(authenticator).addLifecycleListener(new LifecycleListener() {
      @Override
      public void onAuthenticationFailed(String clientId, InetSocketAddress remoteAddress, ReasonCode reason) {
        failures.add(new Failure(clientId, reason));
      }
    });
  }

  @AfterEach
  void stopAuthenticator() {
    authenticator.close();
  }

  @Test
  void aMultiStepExchangeSucceedsWithTheHiveMqClient_MQTT_4_12_0_2() throws Exception {
    ReverseMechanism mechanism = new ReverseMechanism("2 allow");
    Mqtt5BlockingClient client = hiveMq("scholar", mechanism);
    Mqtt5ConnAck connAck = client.connect();
    try {
      assertThat(connAck.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
      assertThat(mechanism.challenges).hasSize(2).allSatisfy(challenge -> {
        assertThat(challenge.getReasonCode()).isEqualTo(Mqtt5AuthReasonCode.CONTINUE_AUTHENTICATION);
        assertThat(challenge.getMethod().toString()).isEqualTo(METHOD);
      });
      Mqtt5EnhancedAuth auth = connAck.getEnhancedAuth().orElseThrow();
      assertThat(auth.getMethod().toString()).isEqualTo(METHOD);
      assertThat(auth.getData().map(ReverseMechanism::text)).contains(WELCOME);
      // The authenticator had the method and plan of the CONNECT, then its own state back at each step.
      AuthRequest request = authenticator.requests.get(0);
      assertThat(request.authenticationMethod()).contains(METHOD);
      assertThat(request.authenticationData().map(String::new)).contains("2 allow");
      assertThat(request.reauthentication()).isFalse();
      assertThat(authenticator.steps).hasSize(2);
      assertThat(authenticator.steps).extracting(step -> step.state(ReverseAuthenticator.Progress.class).answered())
          .containsExactly(0, 1);
      assertThat(authenticator.steps).allSatisfy(step -> {
        assertThat(step.clientId()).isEqualTo("scholar");
        assertThat(step.authenticationMethod()).isEqualTo(METHOD);
        assertThat(step.reauthentication()).isFalse();
      });
      try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
        client.subscribeWith().topicFilter("auth/#").qos(MqttQos.AT_LEAST_ONCE).send();
        client.publishWith().topic("auth/ok").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("in")).send();
        Optional<Mqtt5Publish> received = publishes.receive(10, TimeUnit.SECONDS);
        assertThat(received).isPresent();
        assertThat(received.get().getTopic().toString()).isEqualTo("auth/ok");
      }
    } finally {
      client.disconnect();
    }
  }

  @Test
  void everyAuthAndTheSuccessfulConnackCarryTheConnectsMethod_MQTT_4_12_0_5() throws Exception {
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(connect("raw-scholar", METHOD, "1 allow"));
      // Only AUTH comes before the CONNACK [MQTT-3.2.0-1].
      Auth challenge = expect(raw.read5(), Auth.class);
      assertThat(challenge.reasonCode()).isEqualTo(ReasonCode.CONTINUE_AUTHENTICATION);
      assertThat(challenge.properties().authenticationMethod()).isEqualTo(METHOD);
      String text = new String(challenge.properties().authenticationData(), StandardCharsets.UTF_8);
      assertThat(text).startsWith("challenge-1-");
      raw.send5(auth(ReasonCode.CONTINUE_AUTHENTICATION, METHOD, reverse(text)));
      ConnAck connAck = expect(raw.read5(), ConnAck.class);
      assertThat(connAck.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      assertThat(connAck.properties().authenticationMethod()).isEqualTo(METHOD);
      assertThat(connAck.properties().authenticationData()).isEqualTo(bytes(WELCOME));
      raw.send5(PingReq.INSTANCE);
      assertThat(raw.read5().type()).isEqualTo(PacketType.PINGRESP);
    }
  }

  @Test
  void aRefusalDuringTheExchangeIsAConnackWithTheAuthenticatorsCode_MQTT_4_12_0_4() throws Exception {
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(connect("raw-banned", METHOD, "1 deny:8a"));
      answer(raw, expect(raw.read5(), Auth.class));
      ConnAck connAck = expect(raw.read5(), ConnAck.class);
      assertThat(connAck.reasonCode()).isEqualTo(ReasonCode.BANNED);
      assertThat(connAck.sessionPresent()).isFalse();
      assertThat(raw.closedByBroker()).isTrue();
    }
    // a wrong answer to the challenge, which this authenticator refuses as not authorized
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(connect("raw-wrong", METHOD, "1 allow"));
      expect(raw.read5(), Auth.class);
      raw.send5(auth(ReasonCode.CONTINUE_AUTHENTICATION, METHOD, "not the reverse"));
      assertThat(expect(raw.read5(), ConnAck.class).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
      assertThat(raw.closedByBroker()).isTrue();
    }
    // a refusal CONNACK cannot carry, such as 0x8E Session taken over, becomes 0x87 [MQTT-3.2.2-8]
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(connect("raw-odd-refusal", METHOD, "0 deny:8e"));
      assertThat(expect(raw.read5(), ConnAck.class).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
      assertThat(raw.closedByBroker()).isTrue();
    }
    assertThat(failures).containsExactly(new Failure("raw-banned", ReasonCode.BANNED),
        new Failure("raw-wrong", ReasonCode.NOT_AUTHORIZED), new Failure("raw-odd-refusal", ReasonCode.SESSION_TAKEN_OVER));
  }

  @Test
  void pahoV5IsRefusedWithTheAuthenticatorsCode() throws Exception {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setAuthMethod(METHOD);
    options.setAuthData(bytes("0 deny:8a"));
    assertThat(pahoV5Refusal("paho-banned", options)).isEqualTo(ReasonCode.BANNED.value());
    await().until(() -> failures.contains(new Failure("paho-banned", ReasonCode.BANNED)));
  }

  @Test
  void anUnsupportedMethodIsRefusedWith0x8C_MQTT_4_12_0_1() throws Exception {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setAuthMethod("GS2-KRB5");
    assertThat(pahoV5Refusal("paho-kerberos", options)).isEqualTo(ReasonCode.BAD_AUTHENTICATION_METHOD.value());
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(connect("raw-kerberos", "GS2-KRB5", "ticket"));
      assertThat(expect(raw.read5(), ConnAck.class).reasonCode()).isEqualTo(ReasonCode.BAD_AUTHENTICATION_METHOD);
      assertThat(raw.closedByBroker()).isTrue();
    }
    assertThat(authenticator.requests).isEmpty();
    await().until(() -> failures.containsAll(List.of(new Failure("paho-kerberos", ReasonCode.BAD_AUTHENTICATION_METHOD),
        new Failure("raw-kerberos", ReasonCode.BAD_AUTHENTICATION_METHOD))));
  }

  @Test
  void aFailingAuthenticatorRefusesWithServerUnavailable() throws Exception {
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(connect("raw-fail", METHOD, "1 fail"));
      answer(raw, expect(raw.read5(), Auth.class));
      assertThat(expect(raw.read5(), ConnAck.class).reasonCode()).isEqualTo(ReasonCode.SERVER_UNAVAILABLE);
      assertThat(raw.closedByBroker()).isTrue();
    }
    assertThat(failures).containsExactly(new Failure("raw-fail", ReasonCode.SERVER_UNAVAILABLE));
  }

  @Test
  void withoutAMethodTheBrokerSendsNoAuthAndNoMethodInConnack_MQTT_4_12_0_6() throws Exception {
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(new Connect("MQTT", 5, true, 0, "plain", null, "alice", bytes("secret"), Properties.EMPTY));
      ConnAck connAck = expect(raw.read5(), ConnAck.class);
      assertThat(connAck.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      assertThat(connAck.properties().authenticationMethod()).isNull();
      assertThat(connAck.properties().authenticationData()).isNull();
    }
    // An authenticator that tries to continue an exchange the client did not start fails instead.
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(new Connect("MQTT", 5, true, 0, "plain-2", null, "continue", null, Properties.EMPTY));
      assertThat(expect(raw.read5(), ConnAck.class).reasonCode()).isEqualTo(ReasonCode.SERVER_UNAVAILABLE);
      assertThat(raw.closedByBroker()).isTrue();
    }
    assertThat(authenticator.requests).allSatisfy(request -> assertThat(request.authenticationMethod()).isEmpty());
  }

  @Test
  void aClientThatNamedNoMethodMayNotSendAuth_MQTT_4_12_0_7() throws Exception {
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(new Connect("MQTT", 5, true, 0, "no-method", null, null, null, Properties.EMPTY));
      assertThat(expect(raw.read5(), ConnAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      raw.send5(auth(ReasonCode.RE_AUTHENTICATE, METHOD, "0 allow"));
      assertThat(expect(raw.read5(), Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
      assertThat(raw.closedByBroker()).isTrue();
    }
  }

  @Test
  void anAuthWithoutAMethodIsAProtocolError() throws Exception {
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(connect("no-method-answer", METHOD, "1 allow"));
      expect(raw.read5(), Auth.class);
      raw.send5(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, Properties.EMPTY));
      assertThat(expect(raw.read5(), ConnAck.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
      assertThat(raw.closedByBroker()).isTrue();
    }
    try (RawClient raw = connected("no-method-reauth")) {
      raw.send5(new Auth(ReasonCode.RE_AUTHENTICATE, Properties.EMPTY));
      assertThat(expect(raw.read5(), Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
      assertThat(raw.closedByBroker()).isTrue();
    }
  }

  @Test
  void anAuthWithAnotherMethodIsAProtocolError_MQTT_4_12_0_5() throws Exception {
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(connect("other-method", METHOD, "1 allow"));
      Auth challenge = expect(raw.read5(), Auth.class);
      raw.send5(auth(ReasonCode.CONTINUE_AUTHENTICATION, "SCRAM-SHA-256", reverse(data(challenge))));
      assertThat(expect(raw.read5(), ConnAck.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
      assertThat(raw.closedByBroker()).isTrue();
    }
    assertThat(authenticator.steps).isEmpty();
  }

  @Test
  void reauthenticationWithAnotherMethodIsAProtocolError_MQTT_4_12_1_1() throws Exception {
    try (RawClient raw = connected("other-method-reauth")) {
      raw.send5(auth(ReasonCode.RE_AUTHENTICATE, "SCRAM-SHA-256", "0 allow"));
      assertThat(expect(raw.read5(), Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
      assertThat(raw.closedByBroker()).isTrue();
    }
    assertThat(authenticator.requests).hasSize(1); // the CONNECT's only
  }

  @Test
  void aChallengeIsAnsweredWithReasonCode0x18_MQTT_4_12_0_3() throws Exception {
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(connect("wrong-code", METHOD, "1 allow"));
      Auth challenge = expect(raw.read5(), Auth.class);
      raw.send5(auth(ReasonCode.RE_AUTHENTICATE, METHOD, reverse(data(challenge))));
      assertThat(expect(raw.read5(), ConnAck.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
      assertThat(raw.closedByBroker()).isTrue();
    }
  }

  @Test
  void authReasonCodesOutOfPlaceAfterConnackAreProtocolErrors() throws Exception {
    // 0x18 with no re-authentication under way
    try (RawClient raw = connected("stray-continue")) {
      raw.send5(auth(ReasonCode.CONTINUE_AUTHENTICATION, METHOD, "anything"));
      assertThat(expect(raw.read5(), Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }
    // 0x00 is the server's to send
    try (RawClient raw = connected("stray-success")) {
      raw.send5(auth(ReasonCode.SUCCESS, METHOD, null));
      assertThat(expect(raw.read5(), Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }
    // a second 0x19 before the broker answered the first
    try (RawClient raw = connected("impatient")) {
      authenticator.hold();
      raw.send5(auth(ReasonCode.RE_AUTHENTICATE, METHOD, "0 allow"));
      raw.send5(auth(ReasonCode.RE_AUTHENTICATE, METHOD, "0 allow"));
      assertThat(expect(raw.read5(), Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
      assertThat(raw.closedByBroker()).isTrue();
    } finally {
      authenticator.release();
    }
  }

  @Test
  void anAuthWithReservedFlagsIsMalformed_MQTT_3_15_1_1() throws Exception {
    byte[] flagged = {(byte) 0xF1, 0}; // AUTH, flags 0001, Success without properties
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(connect("flagged-early", METHOD, "1 allow"));
      expect(raw.read5(), Auth.class);
      raw.send(flagged);
      // no DISCONNECT before a CONNACK [MQTT-3.14.0-1]: a refusing CONNACK says why
      assertThat(expect(raw.read5(), ConnAck.class).reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
      assertThat(raw.closedByBroker()).isTrue();
    }
    try (RawClient raw = connected("flagged-late")) {
      raw.send(flagged);
      assertThat(expect(raw.read5(), Disconnect.class).reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
      assertThat(raw.closedByBroker()).isTrue();
    }
  }

  @Test
  void anAuthReasonCodeOutsideTheAuthTableIsAProtocolError_MQTT_3_15_2_1() throws Exception {
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(connect("odd-code", METHOD, "1 allow"));
      expect(raw.read5(), Auth.class);
      raw.send(0xF0, 1, 0x04); // AUTH with 0x04, a DISCONNECT reason code
      assertThat(expect(raw.read5(), ConnAck.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
      assertThat(raw.closedByBroker()).isTrue();
    }
  }

  @Test
  void onlyAuthOrDisconnectMayComeBeforeConnack_MQTT_3_1_2_30() throws Exception {
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(connect("eager", METHOD, "1 allow"));
      expect(raw.read5(), Auth.class);
      raw.send5(new Publish("too/early", 0, false, false, 0, bytes("x")));
      assertThat(expect(raw.read5(), ConnAck.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
      assertThat(raw.closedByBroker()).isTrue();
    }
    try (RawClient raw = new RawClient(broker)) {
      raw.send5(connect("leaving", METHOD, "1 allow"));
      expect(raw.read5(), Auth.class);
      raw.send5(Disconnect.INSTANCE);
      assertThat(raw.closedByBroker()).isTrue(); // closed without a CONNACK
    }
  }

  @Test
  void aChallengeLeftUnansweredClosesTheConnectionAfterTheConnectTimeout() throws Exception {
    try (ReverseAuthenticator patient = new ReverseAuthenticator();
        Broker strict = TestBrokers.start(b -> b.authenticator(patient).connectTimeout(Duration.ofSeconds(1)));
        RawClient raw = new RawClient(strict)) {
      raw.send5(connect("silent", METHOD, "1 allow"));
      expect(raw.read5(), Auth.class);
      assertThat(raw.closedByBroker()).isTrue(); // within the five-second read timeout
    }
  }

  @Test
  void reauthenticationSucceedsWithAuth0x00_MQTT_4_12_1_1() throws Exception {
    ReverseMechanism mechanism = new ReverseMechanism("1 allow");
    Mqtt5BlockingClient client = hiveMq("again", mechanism);
    client.connect();
    try {
      mechanism.reauthPlan("2 allow");
      client.toAsync().reauth().get(10, TimeUnit.SECONDS);
      assertThat(mechanism.reauthenticated.getReasonCode()).isEqualTo(Mqtt5AuthReasonCode.SUCCESS);
      assertThat(mechanism.reauthenticated.getMethod().toString()).isEqualTo(METHOD);
      assertThat(mechanism.reauthenticated.getData().map(ReverseMechanism::text)).contains(WELCOME);
      assertThat(mechanism.challenges).hasSize(3);
      AuthRequest reauth = authenticator.requests.get(1);
      assertThat(reauth.reauthentication()).isTrue();
      assertThat(reauth.authenticationData().map(String::new)).contains("2 allow");
      assertThat(reauth.password()).isEmpty();
      assertThat(authenticator.steps.subList(1, 3)).allSatisfy(step -> assertThat(step.reauthentication()).isTrue());
      assertThat(client.getState().isConnected()).isTrue();
    } finally {
      client.disconnect();
    }
  }

  @Test
  void packetsKeepFlowingDuringReauthentication() throws Exception {
    try (RawClient raw = connected("busy")) {
      raw.send5(new Subscribe(1, List.of(new Subscribe.Request("flow", 1))));
      expect(raw.read5(), io.tern.broker.core.codec.SubAck.class);
      authenticator.hold();
      raw.send5(auth(ReasonCode.RE_AUTHENTICATE, METHOD, "1 allow"));
      raw.send5(new Publish("flow", 1, false, false, 7, bytes("meanwhile")));
      List<Integer> types = List.of(raw.read5().type(), raw.read5().type());
      assertThat(types).containsExactlyInAnyOrder(PacketType.PUBACK, PacketType.PUBLISH);
      authenticator.release();
      answer(raw, expect(raw.read5(), Auth.class));
      Auth success = expect(raw.read5(), Auth.class);
      assertThat(success.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
      assertThat(success.properties().authenticationMethod()).isEqualTo(METHOD);
      assertThat(success.properties().authenticationData()).isEqualTo(bytes(WELCOME));
      raw.send5(PingReq.INSTANCE);
      assertThat(raw.read5().type()).isEqualTo(PacketType.PINGRESP);
    } finally {
      authenticator.release();
    }
  }

  @Test
  void aFailedReauthenticationIsADisconnectWithTheAuthenticatorsCode_MQTT_4_12_1_2() throws Exception {
    try (RawClient raw = connected("revoked")) {
      raw.send5(auth(ReasonCode.RE_AUTHENTICATE, METHOD, "1 deny:98"));
      answer(raw, expect(raw.read5(), Auth.class));
      assertThat(expect(raw.read5(), Disconnect.class).reasonCode()).isEqualTo(ReasonCode.ADMINISTRATIVE_ACTION);
      assertThat(raw.closedByBroker()).isTrue();
    }
    // DISCONNECT cannot carry 0x86: the client hears 0x87, listeners the authenticator's code
    try (RawClient raw = connected("expired")) {
      raw.send5(auth(ReasonCode.RE_AUTHENTICATE, METHOD, "0 deny:86"));
      assertThat(expect(raw.read5(), Disconnect.class).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
      assertThat(raw.closedByBroker()).isTrue();
    }
    assertThat(failures).containsExactly(new Failure("revoked", ReasonCode.ADMINISTRATIVE_ACTION),
        new Failure("expired", ReasonCode.BAD_USER_NAME_OR_PASSWORD));
  }

  @Test
  void theHiveMqClientHearsOfAFailedReauthentication_MQTT_4_12_1_2() throws Exception {
    ReverseMechanism mechanism = new ReverseMechanism("0 allow");
    Mqtt5BlockingClient client = hiveMq("refused-later", mechanism);
    client.connect();
    mechanism.reauthPlan("1 deny:87");
    client.toAsync().reauth();
    await().until(() -> mechanism.reauthRejected != null);
    assertThat(mechanism.reauthRejected.getReasonCode().getCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED.value());
    await().until(() -> !client.getState().isConnected());
  }

  /** A connected raw MQTT 5 client that authenticated with the method at once. */
  private RawClient connected(String clientId) throws Exception {
    RawClient raw = new RawClient(broker);
    raw.send5(connect(clientId, METHOD, "0 allow"));
    assertThat(expect(raw.read5(), ConnAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    return raw;
  }

  private Mqtt5BlockingClient hiveMq(String clientId, ReverseMechanism mechanism) {
    return Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(broker.port())
        .enhancedAuth(mechanism).buildBlocking();
  }

  /** Connects and disconnects at once; returns 0, or the CONNACK reason code that refused it. */
  private int pahoV5Refusal(String clientId, MqttConnectionOptions options) throws Exception {
    MqttClient client = new MqttClient(TestBrokers.uri(broker), clientId, new MemoryPersistence());
    try {
      options.setConnectionTimeout(5);
      client.connect(options);
      client.disconnect();
      return 0;
    } catch (MqttException e) {
      return e.getReasonCode();
    } finally {
      client.close(true);
    }
  }

  static Connect connect(String clientId, String method, String data) {
    Properties.Builder properties = Properties.builder().authenticationMethod(method);
    if (data != null) {
      properties.authenticationData(bytes(data));
    }
    return new Connect("MQTT", 5, true, 0, clientId, null, null, null, properties.build());
  }

  static Auth auth(ReasonCode code, String method, String data) {
    Properties.Builder properties = Properties.builder().authenticationMethod(method);
    if (data != null) {
      properties.authenticationData(bytes(data));
    }
    return new Auth(code, properties.build());
  }

  /** Answers a challenge of the REVERSE method. */
  static void answer(RawClient raw, Auth challenge) throws Exception {
    raw.send5(auth(ReasonCode.CONTINUE_AUTHENTICATION, METHOD, reverse(data(challenge))));
  }

  static String data(Auth auth) {
    return new String(auth.properties().authenticationData(), StandardCharsets.UTF_8);
  }

  static <T extends Packet> T expect(Packet packet, Class<T> type) {
    assertThat(packet).isInstanceOf(type);
    return type.cast(packet);
  }
}
