package io.tern.broker.examples;

import io.tern.broker.Broker;

/**
 * The smallest embedding: a broker inside an application's own {@code main}, on a port chosen by
 * the operating system, closed with the application.
 */
public final class EmbeddedBroker {
  private EmbeddedBroker() {}

  public static void main(String[] args) {
    try (Broker broker = Broker.builder().port(0).build().start()) {
      System.out.println("MQTT clients can connect to tcp://127.0.0.1:" + broker.port());
      // ... the application runs here ...
    }
  }
}
