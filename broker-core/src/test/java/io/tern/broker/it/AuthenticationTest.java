package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.Broker;
import io.tern.broker.BrokerBuilder;
import io.tern.broker.message.ReasonCode;
import io.tern.broker.spi.auth.AuthRequest;
import io.tern.broker.spi.auth.AuthResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The authenticator SPI over real connections, answering from another thread as a database would. */
@Timeout(30)
class AuthenticationTest extends BrokerTest {
  private final ExecutorService database = Executors.newSingleThreadExecutor(r -> new Thread(r, "user-database"));
  private final List<AuthRequest> requests = new CopyOnWriteArrayList<>();

  @Override
  protected BrokerBuilder configure(BrokerBuilder builder) {
    return builder.authenticator(request -> {
      requests.add(request);
      String user = request.username().orElse("");
      String password = request.password().map(p -> new String(p, StandardCharsets.UTF_8)).orElse("");
      return switch (user) {
        case "throws" -> throw new IllegalStateException("authenticator failure for the test");
        case "fails" -> CompletableFuture.failedFuture(new IllegalStateException("database down for the test"));
        case "banned" -> CompletableFuture.completedFuture(AuthResult.deny(ReasonCode.NOT_AUTHORIZED));
        default -> CompletableFuture.supplyAsync(() -> "alice".equals(user) && "secret".equals(password)
            ? AuthResult.allow() : AuthResult.deny(ReasonCode.BAD_USER_NAME_OR_PASSWORD), database);
      };
    });
  }

  @AfterEach
  void stopDatabase() {
    database.shutdownNow();
  }

  private static MqttConnectOptions credentials(String user, String password) {
    MqttConnectOptions options = Paho.options(true);
    options.setUserName(user);
    options.setPassword(password.toCharArray());
    return options;
  }

  private int refusal(String user, String password) throws Exception {
    return Paho.refusal(broker, "client-" + user, credentials(user, password));
  }

  @Test
  void theAuthenticatorSeesWhatTheClientPresented() throws Exception {
    try (Paho alice = Paho.connect(broker, "alice-1", credentials("alice", "secret"))) {
      assertThat(alice.client.isConnected()).isTrue();
    }
    assertThat(requests).singleElement().satisfies(request -> {
      assertThat(request.clientId()).isEqualTo("alice-1");
      assertThat(request.username()).contains("alice");
      assertThat(request.password().map(String::new)).contains("secret");
      assertThat(request.remoteAddress().getAddress().isLoopbackAddress()).isTrue();
      assertThat(request.protocolVersion()).isEqualTo(4);
    });
  }

  @Test
  void refusalsBecomeTheMatchingConnackReturnCodes() throws Exception {
    assertThat(refusal("alice", "wrong")).isEqualTo(4);
    assertThat(refusal("banned", "x")).isEqualTo(5);
    assertThat(refusal("throws", "x")).isEqualTo(3);
    assertThat(refusal("fails", "x")).isEqualTo(3);
    assertThat(refusal("alice", "secret")).isZero();
  }

  @Test
  void packetsSentBeforeTheAnswerWaitForIt() throws Exception {
    byte[] connect = withCredentials("eager", "alice", "secret");
    byte[] subscribe = RawClient.subscribePacket(1, "early", 1);
    byte[] ping = {(byte) 0xC0, 0};
    byte[] all = new byte[connect.length + subscribe.length + ping.length];
    System.arraycopy(connect, 0, all, 0, connect.length);
    System.arraycopy(subscribe, 0, all, connect.length, subscribe.length);
    System.arraycopy(ping, 0, all, connect.length + subscribe.length, ping.length);
    try (RawClient client = new RawClient(broker)) {
      client.send(all);
      assertThat(client.read().type()).isEqualTo(2);
      RawClient.Frame suback = client.read();
      assertThat(suback.type()).isEqualTo(9);
      assertThat(suback.body()).containsExactly(0, 1, 1);
      assertThat(client.read().type()).isEqualTo(13);
    }
  }

  @Test
  void aRefusedClientsLaterPacketsAreIgnored_MQTT_3_1_4_5() throws Exception {
    byte[] connect = withCredentials("eager", "alice", "wrong");
    byte[] subscribe = RawClient.subscribePacket(1, "early", 1);
    byte[] all = new byte[connect.length + subscribe.length];
    System.arraycopy(connect, 0, all, 0, connect.length);
    System.arraycopy(subscribe, 0, all, connect.length, subscribe.length);
    try (RawClient client = new RawClient(broker)) {
      client.send(all);
      assertThat(client.read().body()).containsExactly(0, 4);
      assertThat(client.closedByBroker()).isTrue();
    }
  }

  @Test
  void anonymousClientsOnOtherInterfacesNeedAnExplicitYes() {
    assertThatThrownBy(() -> Broker.builder().host("0.0.0.0").port(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowAnonymous()");
    try (Broker open = Broker.builder().host("0.0.0.0").port(0).allowAnonymous().build().start()) {
      assertThat(open.isRunning()).isTrue();
    }
    try (Broker guarded = Broker.builder().host("0.0.0.0").port(0)
        .authenticator(request -> CompletableFuture.completedFuture(AuthResult.allow())).build().start()) {
      assertThat(guarded.isRunning()).isTrue();
    }
  }

  /** A 3.1.1 CONNECT with user name and password. */
  private static byte[] withCredentials(String clientId, String user, String password) {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, (byte) 0xC2, 0, 0});
    for (String field : new String[] {clientId, user, password}) {
      byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
      body.write(bytes.length >> 8);
      body.write(bytes.length);
      body.writeBytes(bytes);
    }
    return RawClient.frame(0x10, body.toByteArray());
  }
}
