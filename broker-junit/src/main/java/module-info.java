/** The JUnit 5 extension that starts Tern brokers for tests. */
module io.tern.broker.junit {
  requires transitive io.tern.broker.api;
  requires transitive org.junit.jupiter.api;

  exports io.tern.broker.junit;
}
