package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tern.broker.Broker;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class BrokerLifecycleTest {

  @Test
  void startAndCloseAreIdempotent() {
    Broker broker = Broker.builder().port(0).build();
    assertThat(broker.isRunning()).isFalse();
    assertThat(broker.start()).isSameAs(broker);
    int port = broker.port();
    assertThat(broker.start().port()).isEqualTo(port);
    broker.close();
    broker.close();
    assertThat(broker.isRunning()).isFalse();
    assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(broker::address).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeReleasesThePort() throws Exception {
    Broker broker = TestBrokers.start();
    int port = broker.port();
    broker.close();
    try (Broker again = Broker.builder().port(port).build().start()) {
      assertThat(again.port()).isEqualTo(port);
    }
  }

  @Test
  void aTakenPortIsReportedClearly() {
    try (Broker first = TestBrokers.start()) {
      Broker second = Broker.builder().port(first.port()).build();
      assertThatThrownBy(second::start).isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining(String.valueOf(first.port()));
    }
  }

  @Test
  void invalidSettingsAreRejectedByBuild() {
    assertThatThrownBy(() -> Broker.builder().port(70000).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
    assertThatThrownBy(() -> Broker.builder().maxInflight(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxInflight");
    assertThatThrownBy(() -> Broker.builder().eventLoops(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventLoops");
  }

  @Test
  void twoBrokersInOneJvmAreIndependent() throws Exception {
    try (Broker a = TestBrokers.start(); Broker b = TestBrokers.start();
        Paho onA = Paho.connect(a, "same-id"); Paho onB = Paho.connect(b, "same-id")) {
      onA.client.subscribe("t", 1);
      onB.client.subscribe("t", 1);
      try (Paho publisher = Paho.connect(a, "pub")) {
        publisher.publish("t", "only on a", 1, false);
      }
      await().untilAsserted(() -> assertThat(onA.payloads()).containsExactly("only on a"));
      // the same client id on the other broker was not taken over, and got nothing
      assertThat(onB.client.isConnected()).isTrue();
      try (Paho publisher = Paho.connect(b, "pub")) {
        publisher.publish("t", "only on b", 1, false);
      }
      await().untilAsserted(() -> assertThat(onB.payloads()).containsExactly("only on b"));
      assertThat(onA.payloads()).containsExactly("only on a");
    }
  }

  @Test
  void closingTheBrokerClosesClientConnections() throws Exception {
    Broker broker = TestBrokers.start();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", broker.port()));
      socket.getOutputStream().write(RawClient.connectPacket("c", true, 0));
      assertThat(socket.getInputStream().read()).isEqualTo(0x20);
      broker.close();
      socket.setSoTimeout(5000);
      byte[] rest = new byte[16];
      int n;
      do {
        n = socket.getInputStream().read(rest);
      } while (n > 0);
      assertThat(n).isEqualTo(-1);
    }
  }
}
