package io.tern.broker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tern.broker.Broker;
import io.tern.broker.message.ReasonCode;
import io.tern.broker.spi.auth.AuthRequest;
import io.tern.broker.spi.auth.AuthResult;
import io.tern.broker.spi.auth.AuthStep;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ScramSha256AuthenticatorTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 50000);

  private Broker broker;

  @AfterEach
  void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private void startBroker() {
    ScramCredentials alice = ScramCredentials.derive("correct horse".toCharArray(), ScramCredentials.MIN_ITERATIONS);
    broker = Broker.builder().host("127.0.0.1").port(0)
        .authenticator(new ScramSha256Authenticator(ScramSha256Authenticator.CredentialStore.of(Map.of("alice", alice))))
        .build().start();
  }

  private Mqtt5BlockingClient client(String clientId, ScramClientMechanism mechanism) {
    return Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(broker.port())
        .enhancedAuth(mechanism).buildBlocking();
  }

  @Test
  void anMqtt5ClientAuthenticatesAndTheServerProvesItself() throws Exception {
    startBroker();
    ScramClientMechanism scram = new ScramClientMechanism("alice", "correct horse");
    Mqtt5BlockingClient client = client("alice-phone", scram);
    assertThat(client.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
    try {
      assertThat(scram.serverVerified).isTrue();
      try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
        client.subscribeWith().topicFilter("alice/#").qos(MqttQos.AT_LEAST_ONCE).send();
        client.publishWith().topic("alice/notes").qos(MqttQos.AT_LEAST_ONCE).payload("hi".getBytes()).send();
        Optional<Mqtt5Publish> received = publishes.receive(10, TimeUnit.SECONDS);
        assertThat(received).isPresent();
      }
      // and again on the open connection
      client.toAsync().reauth().get(10, TimeUnit.SECONDS);
      assertThat(scram.serverVerified).isTrue();
      assertThat(client.getState().isConnected()).isTrue();
    } finally {
      client.disconnect();
    }
  }

  @Test
  void aWrongPasswordAndAnUnknownUserAreRefusedAlike() {
    startBroker();
    for (ScramClientMechanism scram : new ScramClientMechanism[] {
        new ScramClientMechanism("alice", "battery staple"), new ScramClientMechanism("mallory", "correct horse")}) {
      assertThatThrownBy(client("intruder", scram)::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class,
          refused -> assertThat(refused.getMqttMessage().getReasonCode())
              .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
      assertThat(scram.serverVerified).isFalse();
    }
  }

  @Test
  void clientsWithoutTheMethodAreRefused() {
    startBroker();
    Mqtt5BlockingClient plain = Mqtt5Client.builder().identifier("plain").serverHost("127.0.0.1")
        .serverPort(broker.port()).simpleAuth().username("alice").password("correct horse".getBytes())
        .applySimpleAuth().buildBlocking();
    assertThatThrownBy(plain::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class,
        refused -> assertThat(refused.getMqttMessage().getReasonCode())
            .isEqualTo(Mqtt5ConnAckReasonCode.BAD_AUTHENTICATION_METHOD));
  }

  /** The example exchange of RFC 7677 section 3, user "user" and password "pencil". */
  @Test
  void followsTheExampleOfRfc7677() {
    byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    ScramCredentials user = ScramCredentials.derive("pencil".toCharArray(), salt, 4096);
    ScramSha256Authenticator scram = new ScramSha256Authenticator(
        ScramSha256Authenticator.CredentialStore.of(Map.of("user", user)), () -> "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");

    AuthResult serverFirst = scram.authenticate(new AuthRequest("c", Optional.empty(), Optional.empty(), PEER, 5,
        Optional.of(ScramSha256Authenticator.METHOD), Optional.of(utf8("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")), false))
        .toCompletableFuture().join();
    assertThat(serverFirst.continues()).isTrue();
    assertThat(text(serverFirst)).isEqualTo(
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");

    AuthResult serverFinal = scram.continueAuthentication(new AuthStep("c", PEER, ScramSha256Authenticator.METHOD,
        Optional.of(utf8("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")), serverFirst.state(), false))
        .toCompletableFuture().join();
    assertThat(serverFinal.allowed()).isTrue();
    assertThat(text(serverFinal)).isEqualTo("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");

    // the same exchange with one bit of the proof flipped
    AuthResult refused = scram.continueAuthentication(new AuthStep("c", PEER, ScramSha256Authenticator.METHOD,
        Optional.of(utf8("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVU=")), serverFirst.state(), false))
        .toCompletableFuture().join();
    assertThat(refused.reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
  }

  @Test
  void malformedMessagesAndChannelBindingAreRefused() {
    ScramSha256Authenticator scram = new ScramSha256Authenticator(ScramSha256Authenticator.CredentialStore.of(Map.of()));
    assertThat(first(scram, "n=user,r=abc").reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
    assertThat(first(scram, "n,,r=abc,n=user").reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
    assertThat(first(scram, "n,,n=us=er,r=abc").reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
    assertThat(first(scram, "n,a=admin,n=user,r=abc").reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
    assertThat(first(scram, "p=tls-unique,,n=user,r=abc").reasonCode())
        .isEqualTo(ReasonCode.BAD_AUTHENTICATION_METHOD);
    assertThat(first(scram, "n,,n=us=2Cer,r=abc").continues()).isTrue(); // "us,er", unknown but well formed
  }

  @Test
  void credentialsKeepNoPasswordAndSurviveTheirTextForm() {
    ScramCredentials credentials = ScramCredentials.derive("pencil".toCharArray(), 4096);
    String line = credentials.encoded();
    assertThat(line).startsWith("SCRAM-SHA-256$4096:").doesNotContain("pencil");
    assertThat(ScramCredentials.parse(line)).isEqualTo(credentials);
    assertThat(ScramCredentials.derive("pencil".toCharArray(), 4096)).isNotEqualTo(credentials); // fresh salt
    assertThatThrownBy(() -> ScramCredentials.derive("pencil".toCharArray(), 1000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static AuthResult first(ScramSha256Authenticator scram, String clientFirst) {
    return scram.authenticate(new AuthRequest("c", Optional.empty(), Optional.empty(), PEER, 5,
        Optional.of(ScramSha256Authenticator.METHOD), Optional.of(utf8(clientFirst)), false))
        .toCompletableFuture().join();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(AuthResult result) {
    return new String(result.authenticationData().orElseThrow(), StandardCharsets.UTF_8);
  }
}
