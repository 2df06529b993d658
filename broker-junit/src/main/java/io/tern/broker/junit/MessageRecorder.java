package io.tern.broker.junit;

import io.tern.broker.Subscription;
import io.tern.broker.message.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The messages one in-process subscription received, in the order they arrived, with methods that
 * wait for them. Made by {@link TestClient#subscribe(String)}.
 *
 * <pre>{@code
 * MessageRecorder recorder = broker.client().subscribe("sensors/#");
 * // ... make the code under test publish ...
 * List<Message> two = recorder.await(2);
 * assertThat(recorder.payloads()).containsExactly("21.5", "21.7");
 * }</pre>
 *
 * <p>The awaiting methods return as soon as enough messages have arrived and fail with an {@link
 * AssertionError} that lists what did arrive when the timeout passes first. The default timeout is
 * 10 seconds.
 *
 * <p>All methods are thread-safe. The extension closes every recorder at the end of the broker's
 * life; {@link #close()} ends the subscription earlier.
 */
public final class MessageRecorder implements AutoCloseable {
  /** How long the awaiting methods without a timeout wait. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final int MAX_PAYLOAD_CHARS = 200;

  private final String topicFilter;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final List<Message> messages = new ArrayList<>();
  private volatile Subscription subscription;

  MessageRecorder(String topicFilter) {
    this.topicFilter = topicFilter;
  }

  /** Attaches the broker subscription that feeds this recorder, so that close() can end it. */
  void attach(Subscription subscription) {
    this.subscription = subscription;
  }

  /** Records a message; called on the subscription's executor. */
  void record(Message message) {
    lock.lock();
    try {
      messages.add(message);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The topic filter this recorder is subscribed to. */
  public String topicFilter() {
    return topicFilter;
  }

  /** A snapshot of the messages received so far, oldest first. */
  public List<Message> messages() {
    lock.lock();
    try {
      return List.copyOf(messages);
    } finally {
      lock.unlock();
    }
  }

  /** A snapshot of the payloads received so far, decoded as UTF-8, oldest first. */
  public List<String> payloads() {
    return messages().stream().map(Message::payloadAsString).toList();
  }

  /**
   * Waits up to 10 seconds for the first message and returns it; returns at once when one has
   * already arrived.
   *
   * @throws AssertionError when no message arrives in time
   */
  public Message awaitOne() {
    return await(1).get(0);
  }

  /**
   * Waits up to 10 seconds until at least {@code count} messages have arrived and returns the
   * first {@code count} of them, oldest first. {@link #messages()} has all of them, including any
   * that arrived beyond {@code count}.
   *
   * @throws AssertionError listing the messages that did arrive, when fewer arrive in time
   */
  public List<Message> await(int count) {
    return await(count, DEFAULT_TIMEOUT);
  }

  /**
   * Waits up to {@code timeout} until at least {@code count} messages have arrived and returns the
   * first {@code count} of them, oldest first.
   *
   * @throws AssertionError listing the messages that did arrive, when fewer arrive in time
   * @throws IllegalArgumentException when {@code count} is negative
   */
  public List<Message> await(int count, Duration timeout) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + count);
    }
    Objects.requireNonNull(timeout, "timeout");
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (messages.size() < count) {
        if (remaining <= 0) {
          throw new AssertionError(describeShortfall(count, timeout));
        }
        try {
          remaining = arrived.awaitNanos(remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for " + count + " message(s) on '" + topicFilter
              + "'; " + messages.size() + " arrived", e);
        }
      }
      return List.copyOf(messages.subList(0, count));
    } finally {
      lock.unlock();
    }
  }

  /** Forgets the messages received so far; later awaits count only messages arriving after it. */
  public void clear() {
    lock.lock();
    try {
      messages.clear();
    } finally {
      lock.unlock();
    }
  }

  /** Ends the subscription; the messages received so far stay readable. Idempotent. */
  @Override
  public void close() {
    Subscription current = subscription;
    if (current != null) {
      current.close();
    }
  }

  @Override
  public String toString() {
    return "MessageRecorder['" + topicFilter + "', " + messages().size() + " message(s)]";
  }

  /** Called with the lock held. */
  private String describeShortfall(int count, Duration timeout) {
    StringBuilder text = new StringBuilder()
        .append("Expected at least ").append(count).append(" message(s) on '").append(topicFilter)
        .append("' within ").append(format(timeout)).append(", but ").append(messages.size())
        .append(" arrived");
    Subscription current = subscription;
    if (current != null && current.droppedMessages() > 0) {
      text.append(" (").append(current.droppedMessages()).append(" dropped: the recorder fell behind)");
    }
    if (messages.isEmpty()) {
      return text.append('.').toString();
    }
    text.append(':');
    for (Message message : messages) {
      text.append("\n  ").append(describe(message));
    }
    return text.toString();
  }

  private static String describe(Message message) {
    String payload = message.payloadAsString();
    if (payload.length() > MAX_PAYLOAD_CHARS) {
      payload = payload.substring(0, MAX_PAYLOAD_CHARS) + "... (" + message.payload().length + " bytes)";
    }
    return message.topic() + " [QoS " + message.qos().value() + (message.retain() ? ", retained" : "")
        + "]: \"" + payload + "\"";
  }

  private static String format(Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
