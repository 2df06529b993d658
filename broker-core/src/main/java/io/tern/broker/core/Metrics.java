package io.tern.broker.core;

import io.tern.broker.admin.MetricsSnapshot;
import java.util.concurrent.atomic.LongAdder;

/**
 * The broker's counters, written from every loop without contention (striped adders) and summed
 * only when someone asks for a snapshot.
 */
public final class Metrics {
  private final LongAdder messagesIn = new LongAdder();
  private final LongAdder messagesOut = new LongAdder();
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();
  private final LongAdder droppedQos0 = new LongAdder();
  private final LongAdder droppedQueueFull = new LongAdder();
  private final LongAdder slowConsumers = new LongAdder();
  private final LongAdder droppedTooLarge = new LongAdder();
  private final LongAdder droppedExpired = new LongAdder();
  private final LongAdder queued = new LongAdder();

  public void messageIn() {
    messagesIn.increment();
  }

  public void messageOut() {
    messagesOut.increment();
  }

  public void bytesIn(long count) {
    bytesIn.add(count);
  }

  public void bytesOut(long count) {
    bytesOut.add(count);
  }

  public void droppedQos0() {
    droppedQos0.increment();
  }

  public void droppedQueueFull() {
    droppedQueueFull.increment();
  }

  public void slowConsumer() {
    slowConsumers.increment();
  }

  public void droppedTooLarge() {
    droppedTooLarge.increment();
  }

  public void droppedExpired() {
    droppedExpired.increment();
  }

  /** QoS 1 and 2 messages entering (positive) or leaving (negative) session queues. */
  public void queued(int delta) {
    queued.add(delta);
  }

  public MetricsSnapshot snapshot(int connections) {
    return new MetricsSnapshot(connections, messagesIn.sum(), messagesOut.sum(), bytesIn.sum(), bytesOut.sum(),
        droppedQos0.sum(), droppedQueueFull.sum(), slowConsumers.sum(), droppedTooLarge.sum(), droppedExpired.sum(), queued.sum());
  }
}
