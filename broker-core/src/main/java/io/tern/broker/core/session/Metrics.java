package io.tern.broker.core.session;

import java.util.concurrent.atomic.LongAdder;

/** Broker-wide counters, written from every loop. */
public final class Metrics {
  final LongAdder droppedQos0 = new LongAdder();
  final LongAdder droppedQueueFull = new LongAdder();
  final LongAdder slowConsumers = new LongAdder();
  final LongAdder messagesIn = new LongAdder();

  public long droppedQos0() {
    return droppedQos0.sum();
  }

  public long droppedQueueFull() {
    return droppedQueueFull.sum();
  }

  public long slowConsumers() {
    return slowConsumers.sum();
  }

  public long messagesIn() {
    return messagesIn.sum();
  }
}
