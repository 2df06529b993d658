package io.tern.broker.examples;

import io.tern.broker.Broker;
import io.tern.broker.Subscription;
import io.tern.broker.message.Message;
import io.tern.broker.message.QoS;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Request and reply over MQTT between application code and devices, through the broker's
 * in-process API: no network client, no second connection to configure or secure.
 *
 * <p>The protocol a device follows:
 *
 * <ul>
 *   <li>it subscribes to {@code devices/{id}/commands} and receives {@code <token>:<command>} at
 *       QoS 1;
 *   <li>it answers on {@code devices/{id}/replies} with {@code <token>:<reply>}, repeating the
 *       token it was given.
 * </ul>
 *
 * <pre>{@code
 * try (DeviceCommandService devices = new DeviceCommandService(broker)) {
 *   devices.sendCommand("lamp-1", "on", Duration.ofSeconds(5))
 *       .thenAccept(reply -> log.info("lamp-1 says {}", reply));
 * }
 * }</pre>
 *
 * <p>The token, not the order of replies, pairs a reply with its command: a device may answer
 * several commands in any order, and QoS 1 may deliver a reply twice. The token matches replies;
 * it does not authenticate them. Give each device an ACL that lets it publish only on its own
 * {@code replies} topic (see {@link io.tern.broker.BrokerBuilder#aclFile}).
 */
public final class DeviceCommandService implements AutoCloseable {
  private static final String REPLIES_FILTER = "devices/+/replies";

  /** A command awaiting its reply. */
  private record Pending(String deviceId, CompletableFuture<String> reply) {}

  private final Broker broker;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  // Our own thread for replies: the broker never runs handlers on its event loops, and a thread we
  // own is one we can shut down in close(). A daemon, so a forgotten close() cannot keep the JVM up.
  private final ExecutorService replyThread = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "device-command-replies");
    thread.setDaemon(true);
    return thread;
  });
  private final Subscription replies;

  /**
   * Subscribes to the replies of all devices on a running broker. The broker stays the caller's
   * to close.
   */
  public DeviceCommandService(Broker broker) {
    this.broker = Objects.requireNonNull(broker, "broker");
    try {
      // One subscription for every device, made before any command is sent, so no reply can arrive
      // before someone is listening for it.
      this.replies = broker.subscribe(REPLIES_FILTER, QoS.AT_LEAST_ONCE, this::onReply, replyThread);
    } catch (RuntimeException e) {
      replyThread.shutdownNow();
      throw e;
    }
  }

  /**
   * Sends a command to a device and returns its reply.
   *
   * <p>The future completes on the service's reply thread, so use the {@code ...Async} methods
   * of {@link CompletableFuture} for slow follow-up work. It completes exceptionally with a
   * {@link java.util.concurrent.TimeoutException} when no reply arrives within {@code timeout}
   * (a reply after that is ignored), with the broker's error when the command cannot be
   * published, and with a {@link java.util.concurrent.CancellationException} when the service is
   * closed first. Cancelling it stops waiting for the reply.
   *
   * @param deviceId the device; one topic level, so no {@code /}, {@code +} or {@code #}
   * @throws IllegalArgumentException when {@code deviceId} is not a single topic level
   * @throws IllegalStateException when the service is closed
   */
  public CompletableFuture<String> sendCommand(String deviceId, String command, Duration timeout) {
    requireTopicLevel(deviceId);
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(timeout, "timeout");
    if (replyThread.isShutdown()) {
      throw new IllegalStateException("the device command service is closed");
    }
    String token = UUID.randomUUID().toString();
    CompletableFuture<String> reply = new CompletableFuture<>();
    // Registered before publishing: a quick device could otherwise answer before we listen.
    pending.put(token, new Pending(deviceId, reply));
    // However it ends (reply, timeout, failure, cancellation, close), stop waiting for this token.
    reply.whenComplete((answer, failure) -> pending.remove(token));
    reply.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);

    // QoS 1 so that a device with a persistent session gets commands sent while it was offline.
    Message message = new Message("devices/" + deviceId + "/commands",
        (token + ":" + command).getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false);
    broker.publish(message).exceptionally(failure -> {
      reply.completeExceptionally(failure);
      return null;
    });
    return reply;
  }

  /** Matches a reply with its command; runs on the reply thread. */
  private void onReply(Message message) {
    String deviceId = message.topic().split("/", -1)[1];
    String payload = message.payloadAsString();
    int colon = payload.indexOf(':');
    if (colon < 0) {
      return; // not a reply to one of our commands
    }
    Pending waiting = pending.get(payload.substring(0, colon));
    // Unknown tokens are late replies (after a timeout) or QoS 1 duplicates; both are expected.
    // A token on the wrong device's topic is ignored, so a device cannot answer for another.
    if (waiting != null && waiting.deviceId().equals(deviceId)) {
      waiting.reply().complete(payload.substring(colon + 1));
    }
  }

  /**
   * Stops listening for replies and cancels the commands still waiting for one. Does not close
   * the broker. Idempotent.
   */
  @Override
  public void close() {
    replies.close();
    replyThread.shutdownNow();
    for (Pending waiting : pending.values()) {
      waiting.reply().cancel(false);
    }
  }

  private static void requireTopicLevel(String deviceId) {
    Objects.requireNonNull(deviceId, "deviceId");
    if (deviceId.isEmpty() || deviceId.contains("/") || deviceId.contains("+") || deviceId.contains("#")) {
      throw new IllegalArgumentException("a device id must be one non-empty topic level without wildcards, not '"
          + deviceId + "'");
    }
  }
}
