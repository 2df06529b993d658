package io.tern.broker.it;

import io.tern.broker.Broker;
import io.tern.broker.BrokerBuilder;
import java.util.function.UnaryOperator;

/** Starts brokers for tests: loopback, an ephemeral port, two loops so cross-loop paths run. */
final class TestBrokers {
  private TestBrokers() {}

  static Broker start() {
    return start(builder -> builder);
  }

  static Broker start(UnaryOperator<BrokerBuilder> settings) {
    return settings.apply(Broker.builder().host("127.0.0.1").port(0).eventLoops(2)).build().start();
  }

  static String uri(Broker broker) {
    return "tcp://127.0.0.1:" + broker.port();
  }
}
