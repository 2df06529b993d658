package io.tern.broker.core.local;

import io.tern.broker.Subscription;
import io.tern.broker.core.codec.TopicSyntax;
import io.tern.broker.core.delivery.ApiMessages;
import io.tern.broker.core.delivery.Message;
import io.tern.broker.core.delivery.Router;
import io.tern.broker.core.routing.SharedFilter;
import io.tern.broker.core.session.Sessions;
import io.tern.broker.core.transport.EventLoop;
import io.tern.broker.message.QoS;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The host application's own publish and subscribe, routed through the loops like a client's.
 * Any thread; never blocks.
 */
public final class LocalClient {
  private final EventLoop[] loops;
  private final Router router;
  private final Sessions sessions;

  public LocalClient(EventLoop[] loops, Router router, Sessions sessions) {
    this.loops = loops;
    this.router = router;
    this.sessions = sessions;
  }

  /** See {@link io.tern.broker.Broker#publish}. */
  public CompletionStage<Void> publish(io.tern.broker.message.Message message) {
    Objects.requireNonNull(message, "message");
    Message routed = ApiMessages.toCore(message, null);
    // One loop per topic keeps each topic's messages in publishing order.
    EventLoop loop = loops[Math.floorMod(message.topic().hashCode(), loops.length)];
    CompletableFuture<Void> routedStage = new CompletableFuture<>();
    Runnable route = () -> {
      if (sessions.publish(routed, loop.index(), null, null, outcome -> routedStage.complete(null)) != null) {
        routedStage.complete(null);
      }
    };
    if (!loop.execute(route)) {
      routedStage.completeExceptionally(new RejectedExecutionException(
          "the broker's event loop " + loop.index() + " is full; publish again later"));
    }
    return routedStage;
  }

  /** See {@link io.tern.broker.Broker#subscribe}. */
  public Subscription subscribe(String topicFilter, QoS qos, Consumer<io.tern.broker.message.Message> handler,
      Executor executor) {
    Objects.requireNonNull(qos, "qos");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(executor, "executor");
    if (topicFilter == null || !TopicSyntax.isValidFilter(topicFilter)) {
      throw new IllegalArgumentException("not a valid topic filter: '" + topicFilter + "'");
    }
    boolean shared = topicFilter.startsWith(SharedFilter.PREFIX);
    if (shared && SharedFilter.parse(topicFilter) == null) {
      throw new IllegalArgumentException("not a valid shared subscription: '" + topicFilter + "'");
    }
    EventLoop loop = loops[Math.floorMod(topicFilter.hashCode(), loops.length)];
    LocalSubscription subscription =
        new LocalSubscription(topicFilter, loop.index(), router, handler, executor);
    // In the router at once, so that whatever is published after this call returns reaches it.
    router.subscribe(topicFilter, subscription, qos.value());
    if (shared) {
      return subscription; // a shared subscription gets no retained messages
    }
    Runnable sendRetained = () -> router.retained().forEachMatching(topicFilter,
        retained -> subscription.deliverRetained(retained, Math.min(retained.qos(), qos.value())));
    if (!loop.execute(sendRetained)) {
      subscription.close();
      throw new RejectedExecutionException("the broker's event loop " + loop.index() + " is full; subscribe again later");
    }
    return subscription;
  }
}
