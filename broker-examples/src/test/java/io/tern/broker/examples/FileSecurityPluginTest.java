package io.tern.broker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.Broker;
import io.tern.broker.core.auth.PasswordFile;
import io.tern.broker.core.auth.PasswordHasher;
import io.tern.broker.spi.TernPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class FileSecurityPluginTest {

  @Test
  void theServiceLoaderFindsIt() {
    assertThat(ServiceLoader.load(TernPlugin.class).stream().map(ServiceLoader.Provider::type))
        .contains(FileSecurityPlugin.class);
  }

  @Test
  void withoutFilesItRegistersNothing() throws Exception {
    try (Broker broker = Broker.builder().port(0).discoverPlugins().build().start()) {
      MqttClient anonymous = new MqttClient("tcp://127.0.0.1:" + broker.port(), "anonymous", new MemoryPersistence());
      anonymous.connect();
      assertThat(anonymous.isConnected()).isTrue();
      anonymous.disconnect();
      anonymous.close();
    }
  }

  @Test
  void itAuthenticatesAndAuthorizesFromItsFiles(@TempDir Path dir) throws Exception {
    Path passwords = dir.resolve("passwords");
    PasswordFile.empty().with("alice", new PasswordHasher(1000).hash("secret".toCharArray())).save(passwords);
    Path acl = dir.resolve("acl");
    Files.write(acl, List.of("user alice", "topic readwrite alice/#"));

    try (Broker broker = Broker.builder().port(0)
        .plugin(new FileSecurityPlugin(Optional.of(passwords), Optional.of(acl))).build().start()) {
      String uri = "tcp://127.0.0.1:" + broker.port();
      MqttClient alice = new MqttClient(uri, "alice", new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setUserName("alice");
      options.setPassword("secret".toCharArray());
      alice.connect(options);
      assertThat(alice.subscribeWithResponse(new String[] {"alice/#", "bob/#"}, new int[] {1, 1}).getGrantedQos())
          .containsExactly(1, 0x80);
      alice.disconnect();
      alice.close();

      MqttClient stranger = new MqttClient(uri, "stranger", new MemoryPersistence());
      assertThatThrownBy(stranger::connect)
          .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(4));
      stranger.close();
    }
  }
}
