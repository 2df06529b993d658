package io.tern.broker.it;

import io.tern.broker.Broker;
import io.tern.broker.BrokerBuilder;
import io.tern.broker.admin.SessionInfo;
import io.tern.broker.core.codec.Properties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker with a data directory that a test closes and builds again on the same directory, with
 * the clients it opened closed before each restart and after the test.
 */
abstract class RestartedBrokerTest {
  @TempDir
  Path dir;

  protected Broker broker;
  private final List<AutoCloseable> clients = new ArrayList<>();
  private UnaryOperator<BrokerBuilder> settings = b -> b;

  /** Starts a broker on the directory with these settings, which later restarts keep. */
  protected Broker start(UnaryOperator<BrokerBuilder> more) {
    settings = more;
    broker = TestBrokers.start(b -> more.apply(b.dataDirectory(dir)));
    return broker;
  }

  protected Broker start() {
    return start(b -> b);
  }

  /** Closes every client and the broker, then builds and starts a new broker on the directory. */
  protected void restart() throws Exception {
    closeClients();
    broker.close();
    start(settings);
  }

  @AfterEach
  final void stop() throws Exception {
    closeClients();
    if (broker != null) {
      broker.close();
    }
  }

  /** Closes the clients opened so far, leaving the broker running. */
  protected void closeClients() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    clients.clear();
  }

  /** Closes the client before the next restart and after the test. */
  protected <T extends AutoCloseable> T track(T client) {
    clients.add(client);
    return client;
  }

  protected RawClient5 raw5() throws IOException {
    return track(new RawClient5(broker));
  }

  protected Optional<SessionInfo> session(String clientId) {
    return broker.admin().session(clientId).toCompletableFuture().join();
  }

  protected static Properties expiry(long seconds) {
    return Properties.builder().sessionExpiryInterval(seconds).build();
  }

  protected static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
