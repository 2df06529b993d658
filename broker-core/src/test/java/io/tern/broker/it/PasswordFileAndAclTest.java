package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tern.broker.Broker;
import io.tern.broker.core.auth.PasswordFile;
import io.tern.broker.core.auth.PasswordHasher;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The built-in password file authenticator and ACL authorizer, configured through the builder. */
@Timeout(30)
class PasswordFileAndAclTest {
  @TempDir
  Path dir;
  private Broker broker;

  @BeforeEach
  void start() throws Exception {
    PasswordHasher fast = new PasswordHasher(1000); // verification uses the count stored in the hash
    Path users = dir.resolve("passwords");
    PasswordFile.empty()
        .with("alice", fast.hash("secret".toCharArray()))
        .with("bob", fast.hash("hunter2".toCharArray()))
        .save(users);
    Path acl = dir.resolve("acl");
    Files.write(acl, List.of(
        "topic read public/#",
        "pattern readwrite devices/%c/#",
        "user alice",
        "topic readwrite alice/#"));
    broker = TestBrokers.start(b -> b.passwordFile(users).aclFile(acl));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private static MqttConnectOptions as(String user, String password) {
    MqttConnectOptions options = Paho.options(true);
    options.setUserName(user);
    options.setPassword(password.toCharArray());
    return options;
  }

  private int refusal(MqttConnectOptions options) throws Exception {
    return Paho.refusal(broker, "refused", options);
  }

  @Test
  void onlyKnownUsersWithTheirPasswordsConnect() throws Exception {
    assertThat(refusal(as("alice", "secret"))).isZero();
    assertThat(refusal(as("alice", "wrong"))).isEqualTo(4);
    assertThat(refusal(as("mallory", "secret"))).isEqualTo(4);
    assertThat(refusal(Paho.options(true))).isEqualTo(4);
  }

  @Test
  void theAclDecidesWhatEachClientMaySubscribeAndPublish() throws Exception {
    try (Paho alice = Paho.connect(broker, "alice-phone", as("alice", "secret"));
        Paho bob = Paho.connect(broker, "lamp", as("bob", "hunter2"))) {
      assertThat(alice.client.subscribeWithResponse(new String[] {"alice/#", "public/news", "bob/#"},
          new int[] {1, 1, 1}).getGrantedQos()).containsExactly(1, 1, 0x80);
      assertThat(bob.client.subscribeWithResponse(new String[] {"devices/lamp/#", "devices/other/#", "alice/#"},
          new int[] {1, 1, 1}).getGrantedQos()).containsExactly(1, 0x80, 0x80);

      bob.publish("alice/inbox", "not allowed to write here", 1, false);
      bob.publish("public/news", "read-only for everyone", 1, false);
      alice.publish("devices/lamp/set", "alice may not command the lamp", 1, false);
      bob.publish("devices/lamp/state", "on", 1, false);
      alice.publish("alice/inbox", "note to self", 1, false);

      await().untilAsserted(() -> {
        assertThat(alice.payloads()).containsExactly("note to self");
        assertThat(bob.payloads()).containsExactly("on");
      });
    }
  }

  @Test
  void unreadableFilesAreReportedAtBuild() {
    assertThatThrownBy(() -> Broker.builder().port(0).passwordFile(dir.resolve("missing")).build())
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("missing");
    assertThatThrownBy(() -> Broker.builder().port(0).aclFile(dir.resolve("missing-acl")))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("missing-acl");
  }
}
