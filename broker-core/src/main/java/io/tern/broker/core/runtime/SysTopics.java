package io.tern.broker.core.runtime;

import io.tern.broker.Broker;
import io.tern.broker.admin.MetricsSnapshot;
import io.tern.broker.core.transport.EventLoop;
import io.tern.broker.message.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the broker's statistics under {@code $SYS/broker/} as retained QoS 0 messages, each
 * only when its value changed since the last round. Built on the public API alone (publish and the
 * admin metrics), like any plugin could be; its timer runs on the first event loop.
 *
 * <p>Clients see the topics only by subscribing to {@code $SYS/...} explicitly: a filter starting
 * with a wildcard does not match them [MQTT-4.7.2-1].
 */
final class SysTopics {
  private static final String PREFIX = "$SYS/broker/";

  private final Broker broker;
  private final EventLoop loop;
  private final long intervalNanos;
  private final long startedNanos = System.nanoTime();
  private final Map<String, String> published = new HashMap<>();

  SysTopics(Broker broker, EventLoop loop, Duration interval) {
    this.broker = broker;
    this.loop = loop;
    this.intervalNanos = interval.toNanos();
  }

  /** Publishes the first round now and schedules the next ones; any thread. */
  void start() {
    loop.execute(this::round);
  }

  private void round() {
    if (!broker.isRunning()) {
      return;
    }
    for (Map.Entry<String, String> entry : values().entrySet()) {
      if (!entry.getValue().equals(published.put(entry.getKey(), entry.getValue()))) {
        // A full inbox fails this publish; the value differs from the map then only until the
        // next change, which is acceptable for statistics.
        broker.publish(Message.of(PREFIX + entry.getKey(), entry.getValue().getBytes(StandardCharsets.UTF_8))
            .withRetain(true));
      }
    }
    loop.schedule(intervalNanos, this::round);
  }

  private Map<String, String> values() {
    MetricsSnapshot m = broker.admin().metrics();
    Map<String, String> values = new LinkedHashMap<>();
    values.put("version", "Tern " + version());
    values.put("uptime", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos) + " seconds");
    values.put("clients/connected", Integer.toString(m.connections()));
    values.put("messages/received", Long.toString(m.messagesIn()));
    values.put("messages/sent", Long.toString(m.messagesOut()));
    values.put("messages/dropped", Long.toString(m.droppedQos0() + m.droppedQueueFull() + m.droppedTooLarge()
        + m.droppedExpired()));
    values.put("messages/queued", Long.toString(m.queuedMessages()));
    values.put("bytes/received", Long.toString(m.bytesIn()));
    values.put("bytes/sent", Long.toString(m.bytesOut()));
    values.put("clients/disconnected-slow", Long.toString(m.slowConsumerDisconnects()));
    return values;
  }

  private static String version() {
    String version = SysTopics.class.getPackage().getImplementationVersion();
    return version == null ? "(development build)" : version;
  }
}
