package io.tern.broker;

import io.tern.broker.admin.BrokerAdmin;
import io.tern.broker.message.Message;
import io.tern.broker.message.QoS;
import io.tern.broker.spi.BrokerProvider;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * An MQTT broker running inside this JVM.
 *
 * <pre>{@code
 * try (Broker broker = Broker.builder().port(1883).build().start()) {
 *   // clients connect to broker.address()
 * }
 * }</pre>
 *
 * <p>A broker is built once by {@link #builder()}, configured immutably, and then started and
 * closed. Several brokers can run in one JVM; they share no state. All methods are thread-safe.
 */
public interface Broker extends AutoCloseable {

  /**
   * A new builder from the implementation on the class path.
   *
   * @throws IllegalStateException when no implementation is present, or more than one
   */
  static BrokerBuilder builder() {
    Iterator<BrokerProvider> providers = ServiceLoader.load(BrokerProvider.class).iterator();
    if (!providers.hasNext()) {
      throw new IllegalStateException(
          "No Tern broker implementation found: add io.tern:broker-core to the runtime classpath");
    }
    BrokerProvider provider = providers.next();
    if (providers.hasNext()) {
      throw new IllegalStateException(
          "More than one Tern broker implementation on the classpath: "
              + provider.getClass().getName() + " and " + providers.next().getClass().getName());
    }
    return provider.builder();
  }

  /**
   * Binds the listener and starts serving clients. Returns once the port is bound, so that
   * {@link #address()} is known and clients can connect. Calling it on a started broker does
   * nothing.
   *
   * @return this broker
   * @throws java.io.UncheckedIOException when the address cannot be bound
   * @throws IllegalStateException when the broker has been closed
   */
  Broker start();

  /**
   * Stops the broker gracefully: stops accepting, closes every client connection (publishing the
   * wills of clients that had not disconnected, as the specification requires), and releases its
   * threads and sockets. Returns when all of that is done. Calling it again does nothing. A closed
   * broker cannot be started again.
   */
  @Override
  void close();

  /**
   * The address the listener is bound to, with the actual port when port 0 was asked for.
   *
   * @throws IllegalStateException when the broker is not running
   */
  InetSocketAddress address();

  /** The bound port; shorthand for {@code address().getPort()}. */
  default int port() {
    return address().getPort();
  }

  /** True between a successful {@link #start()} and {@link #close()}. */
  boolean isRunning();

  /**
   * Publishes a message from the host application, to network and in-process subscribers alike,
   * as if a client had published it; a retained message is kept as a client's would be.
   *
   * <p>Never blocks. Messages with the same topic are routed in the order they were published.
   * The stage completes once the message has been handed to every matching subscriber (queued for
   * offline persistent sessions). It completes exceptionally with {@link
   * java.util.concurrent.RejectedExecutionException} when the broker is too busy to take it now
   * (try again later), and with {@link IllegalStateException} when the broker is not running.
   */
  CompletionStage<Void> publish(Message message);

  /**
   * Subscribes the host application to a topic filter. Matching messages, including retained ones
   * at the time of subscribing, are passed to {@code handler} on {@code executor}, one at a time
   * and in the order the broker routed them; never on a broker thread.
   *
   * <p>A filter {@code $share/{group}/{filter}} joins that shared subscription group, network
   * clients and host subscriptions alike: each message goes to one member of the group, chosen by
   * the builder's {@link BrokerBuilder#sharedSubscriptionStrategy strategy}, and no retained
   * messages are passed on when joining.
   *
   * <p>Overflow policy: up to 16,384 messages wait for the handler; beyond that, new messages for
   * this subscription are dropped and counted in {@link Subscription#droppedMessages()}. A handler
   * that throws is logged and keeps receiving.
   *
   * @param qos the highest QoS to receive messages at; {@link Message#qos()} of each delivered
   *     message is the lower of this and the published QoS
   * @throws IllegalArgumentException when the filter is not a valid MQTT topic filter or shared
   *     subscription
   * @throws IllegalStateException when the broker is not running
   */
  Subscription subscribe(String topicFilter, QoS qos, Consumer<Message> handler, Executor executor);

  /** Inspection and management of sessions, retained messages and metrics. */
  BrokerAdmin admin();
}
