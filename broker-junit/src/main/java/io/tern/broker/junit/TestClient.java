package io.tern.broker.junit;

import io.tern.broker.Broker;
import io.tern.broker.Subscription;
import io.tern.broker.message.Message;
import io.tern.broker.message.QoS;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * An in-process client of the extension's broker, for tests: it publishes as the host
 * application and records what its subscriptions receive. Get it from {@link
 * TernBrokerExtension#client()} or as a test method parameter.
 *
 * <pre>{@code
 * @Test
 * void forwardsReadings(TestClient client) {
 *   MessageRecorder alerts = client.subscribe("alerts/#");
 *   client.publish("sensors/boiler", "97.5");   // returns once the broker has routed it
 *   assertThat(alerts.awaitOne().payloadAsString()).isEqualTo("boiler too hot");
 * }
 * }</pre>
 *
 * <p>Publishing waits until the broker has routed the message (up to 10 seconds), so that every
 * subscriber that existed at the time has it queued when the method returns. Subscriptions deliver
 * on a single daemon thread the extension owns, and are closed before the broker is.
 *
 * <p>All methods are thread-safe.
 */
public final class TestClient {
  private static final Duration ROUTING_TIMEOUT = Duration.ofSeconds(10);
  private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final Broker broker;
  private final Executor executor;
  private final List<MessageRecorder> recorders = new ArrayList<>();
  private boolean closed;

  TestClient(Broker broker, Executor executor) {
    this.broker = broker;
    this.executor = executor;
  }

  /** Publishes a UTF-8 text payload at QoS 0, not retained, and waits until it is routed. */
  public void publish(String topic, String payload) {
    publish(Message.of(topic, payload));
  }

  /** Publishes a text payload with the given QoS and retain flag, and waits until it is routed. */
  public void publish(String topic, String payload, QoS qos, boolean retain) {
    publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
  }

  /** Publishes a payload with the given QoS and retain flag, and waits until it is routed. */
  public void publish(String topic, byte[] payload, QoS qos, boolean retain) {
    publish(new Message(topic, payload, qos, retain));
  }

  /**
   * Publishes a message and waits until the broker has routed it to every matching subscriber.
   * When the broker is momentarily too busy to take it, tries again until the timeout.
   *
   * @throws AssertionError when the message is not routed within 10 seconds, or the broker stays
   *     too busy to take it for that long
   * @throws IllegalStateException when the broker is not running
   */
  public void publish(Message message) {
    Objects.requireNonNull(message, "message");
    long deadline = System.nanoTime() + ROUTING_TIMEOUT.toNanos();
    while (true) {
      try {
        broker.publish(message).toCompletableFuture().get(remaining(deadline), TimeUnit.NANOSECONDS);
        return;
      } catch (ExecutionException | CompletionException e) {
        Throwable cause = unwrap(e);
        if (!(cause instanceof RejectedExecutionException)) {
          throw failure("publishing to '" + message.topic() + "' failed", cause);
        }
        if (System.nanoTime() - deadline >= 0) {
          throw new AssertionError("the broker was too busy to take the message published to '" + message.topic()
              + "' for " + ROUTING_TIMEOUT.toSeconds() + " s", cause);
        }
        pauseBeforeRetry("publishing to '" + message.topic() + "'");
      } catch (TimeoutException e) {
        throw new AssertionError("the broker did not route the message published to '" + message.topic()
            + "' within " + ROUTING_TIMEOUT.toSeconds() + " s", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while publishing to '" + message.topic() + "'", e);
      }
    }
  }

  /**
   * Subscribes to a topic filter at QoS 2, so that messages arrive with the QoS they were
   * published with, and returns the recorder of what arrives, retained messages included.
   *
   * @throws IllegalArgumentException when the filter is not a valid MQTT topic filter
   * @throws IllegalStateException when the broker is not running
   */
  public MessageRecorder subscribe(String topicFilter) {
    return subscribe(topicFilter, QoS.EXACTLY_ONCE);
  }

  /**
   * Subscribes to a topic filter and returns the recorder of what arrives, retained messages
   * included. Every message published after this method returns and matching the filter reaches
   * the recorder.
   *
   * @param qos the highest QoS to receive messages at
   * @throws AssertionError when the broker stays too busy to take the subscription for 10 seconds
   * @throws IllegalArgumentException when the filter is not a valid MQTT topic filter
   * @throws IllegalStateException when the broker is not running
   */
  public MessageRecorder subscribe(String topicFilter, QoS qos) {
    Objects.requireNonNull(qos, "qos");
    MessageRecorder recorder = new MessageRecorder(topicFilter);
    long deadline = System.nanoTime() + ROUTING_TIMEOUT.toNanos();
    Subscription subscription;
    while (true) {
      try {
        subscription = broker.subscribe(topicFilter, qos, recorder::record, executor);
        break;
      } catch (RejectedExecutionException e) {
        if (System.nanoTime() - deadline >= 0) {
          throw new AssertionError("the broker was too busy to subscribe to '" + topicFilter + "' for "
              + ROUTING_TIMEOUT.toSeconds() + " s", e);
        }
        pauseBeforeRetry("subscribing to '" + topicFilter + "'");
      }
    }
    recorder.attach(subscription);
    synchronized (this) {
      if (!closed) {
        recorders.add(recorder);
        return recorder;
      }
    }
    recorder.close();
    throw new IllegalStateException("the test client's broker has been closed");
  }

  /** Closes every subscription made through this client; the extension calls it before closing the broker. */
  void close() {
    List<MessageRecorder> open;
    synchronized (this) {
      closed = true;
      open = List.copyOf(recorders);
      recorders.clear();
    }
    for (MessageRecorder recorder : open) {
      recorder.close();
    }
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  private static void pauseBeforeRetry(String action) {
    LockSupport.parkNanos(RETRY_PAUSE_NANOS);
    if (Thread.interrupted()) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while " + action);
    }
  }

  private static Throwable unwrap(Throwable e) {
    Throwable cause = e;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static RuntimeException failure(String context, Throwable cause) {
    if (cause instanceof IllegalStateException state) {
      return new IllegalStateException(context + ": " + state.getMessage(), state);
    }
    return new IllegalStateException(context, cause);
  }
}
