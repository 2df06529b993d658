package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tern.broker.Broker;
import io.tern.broker.hook.PublishDecision;
import io.tern.broker.hook.PublishInterceptor;
import io.tern.broker.message.Message;
import io.tern.broker.message.ReasonCode;
import io.tern.broker.spi.PluginRegistry;
import io.tern.broker.spi.TernPlugin;
import io.tern.broker.spi.auth.AuthResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PluginTest {

  /** A plugin made of a registration callback. */
  private record TestPlugin(String id, int priority, Consumer<PluginRegistry> registration, AtomicInteger closed)
      implements TernPlugin {
    TestPlugin(String id, int priority, Consumer<PluginRegistry> registration) {
      this(id, priority, registration, new AtomicInteger());
    }

    @Override
    public void register(PluginRegistry registry) {
      registration.accept(registry);
    }

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }

  private static PublishInterceptor appending(String suffix) {
    return context -> {
      Message message = context.message();
      return PublishDecision.modify(new Message(message.topic(), (message.payloadAsString() + suffix).getBytes(),
          message.qos(), message.retain()));
    };
  }

  @Test
  void hooksRunByPluginPriorityWithTheBuildersOwnAtZero() throws Exception {
    TestPlugin late = new TestPlugin("late", -5, registry -> registry.addPublishInterceptor(appending("-c")));
    TestPlugin early = new TestPlugin("early", 10, registry -> registry.addPublishInterceptor(appending("-a")));
    try (Broker broker = TestBrokers.start(b -> b.plugin(late).addPublishInterceptor(appending("-b")).plugin(early));
        Paho client = Paho.connect(broker, "client")) {
      client.client.subscribe("t", 1);
      client.publish("t", "x", 1, false);
      await().untilAsserted(() -> assertThat(client.payloads()).containsExactly("x-a-b-c"));
    }
    assertThat(late.closed()).hasValue(1);
    assertThat(early.closed()).hasValue(1);
  }

  @Test
  void pluginsFoundOnTheClassPathAreUsedOnlyWhenAsked() throws Exception {
    try (Broker plain = TestBrokers.start(); Broker discovering = TestBrokers.start(b -> b.discoverPlugins());
        Paho onPlain = Paho.connect(plain, "a"); Paho onDiscovering = Paho.connect(discovering, "b")) {
      onPlain.client.subscribe("discovered/#", 1);
      onDiscovering.client.subscribe("discovered/#", 1);
      onPlain.publish("discovered/x", "payload", 1, false);
      onDiscovering.publish("discovered/x", "payload", 1, false);
      await().untilAsserted(() -> {
        assertThat(onPlain.payloads()).containsExactly("payload");
        assertThat(onDiscovering.payloads()).containsExactly("payload+found");
      });
    }
  }

  @Test
  void twoPluginsCannotBothAuthenticate() {
    TestPlugin first = new TestPlugin("ldap", 0,
        registry -> registry.authenticator(request -> CompletableFuture.completedFuture(AuthResult.allow())));
    TestPlugin second = new TestPlugin("database", 0,
        registry -> registry.authenticator(request -> CompletableFuture.completedFuture(AuthResult.allow())));
    assertThatThrownBy(() -> Broker.builder().port(0).plugin(first).plugin(second).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ldap").hasMessageContaining("database");
    assertThatThrownBy(() -> Broker.builder().port(0).plugin(first).plugin(new TestPlugin("ldap", 1, r -> { })).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ldap");
  }

  @Test
  void thePluginsAuthenticatorIsUsedUnlessTheBuilderSetsOne() throws Exception {
    TestPlugin refuseAll = new TestPlugin("refuse-all", 0, registry -> registry.authenticator(
        request -> CompletableFuture.completedFuture(AuthResult.deny(ReasonCode.NOT_AUTHORIZED))));
    try (Broker guarded = TestBrokers.start(b -> b.plugin(refuseAll))) {
      assertThatThrownBy(() -> Paho.connect(guarded, "c"))
          .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(5));
    }
    try (Broker overridden = TestBrokers.start(b -> b.plugin(refuseAll)
        .authenticator(request -> CompletableFuture.completedFuture(AuthResult.allow())));
        Paho client = Paho.connect(overridden, "c")) {
      assertThat(client.client.isConnected()).isTrue();
    }
  }
}
