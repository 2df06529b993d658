package io.tern.broker.core.local;

import io.tern.broker.Subscription;
import io.tern.broker.core.delivery.ApiMessages;
import io.tern.broker.core.delivery.Message;
import io.tern.broker.core.delivery.Router;
import io.tern.broker.core.delivery.Subscriber;
import io.tern.broker.core.delivery.SubscriptionOptions;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription of the host application. The router delivers to it on its loop like to any
 * session; it hands each message to a bounded queue that a task on the host's executor drains, so
 * the handler never runs on a broker thread and a slow handler never holds a loop up.
 */
public final class LocalSubscription implements Subscription, Subscriber {
  private static final Logger log = LoggerFactory.getLogger(LocalSubscription.class);
  static final int CAPACITY = 16_384;
  private static final int DRAIN_BATCH = 256;

  private final String topicFilter;
  private final int loopIndex;
  private final Router router;
  private final Consumer<io.tern.broker.message.Message> handler;
  private final Executor executor;
  private final MpscArrayQueue<io.tern.broker.message.Message> queue = new MpscArrayQueue<>(CAPACITY);
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong dropped = new AtomicLong();
  private final Runnable drain = this::drain;
  private volatile boolean closed;

  LocalSubscription(String topicFilter, int loopIndex, Router router,
      Consumer<io.tern.broker.message.Message> handler, Executor executor) {
    this.topicFilter = topicFilter;
    this.loopIndex = loopIndex;
    this.router = router;
    this.handler = handler;
    this.executor = executor;
  }

  @Override
  public String topicFilter() {
    return topicFilter;
  }

  @Override
  public long droppedMessages() {
    return dropped.get();
  }

  @Override
  public int loopIndex() {
    return loopIndex;
  }

  @Override
  public String clientId() {
    return null; // the host application: No Local never applies
  }

  @Override
  public void deliver(Message message, int options, int[] identifiers) {
    enqueue(message, SubscriptionOptions.qos(options), false);
  }

  /** Delivers a retained message, with the retain flag set, when the subscription starts. */
  void deliverRetained(Message message, int qos) {
    enqueue(message, qos, true);
  }

  private void enqueue(Message message, int qos, boolean retain) {
    if (closed) {
      return;
    }
    if (!queue.offer(ApiMessages.toApi(message, qos, retain))) {
      dropped.incrementAndGet();
      return;
    }
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        executor.execute(drain);
      } catch (RejectedExecutionException e) {
        scheduled.set(false);
        log.warn("the executor of the subscription to '{}' refused its task; messages wait for the next one",
            topicFilter, e);
      }
    }
  }

  private void drain() {
    for (int i = 0; i < DRAIN_BATCH && !closed; i++) {
      io.tern.broker.message.Message message = queue.poll();
      if (message == null) {
        break;
      }
      try {
        handler.accept(message);
      } catch (RuntimeException e) {
        log.warn("the handler of the subscription to '{}' failed on a message on '{}'", topicFilter,
            message.topic(), e);
      }
    }
    scheduled.set(false);
    // Yield the executor between batches rather than hold one of its threads for ever.
    if (!queue.isEmpty() && !closed) {
      schedule();
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      router.unsubscribe(topicFilter, this);
      queue.clear();
    }
  }
}
