package io.tern.broker.core.runtime;

import io.tern.broker.admin.BrokerAdmin;
import io.tern.broker.admin.MetricsSnapshot;
import io.tern.broker.admin.SessionInfo;
import io.tern.broker.core.Metrics;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.delivery.ApiMessages;
import io.tern.broker.core.delivery.Router;
import io.tern.broker.core.session.Sessions;
import io.tern.broker.core.transport.EventLoop;
import io.tern.broker.message.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The admin API: questions about sessions go to the loops that own them, as commands. */
final class Admin implements BrokerAdmin {
  private final EventLoop[] loops;
  private final Sessions sessions;
  private final Router router;
  private final Metrics metrics;
  private final BooleanSupplier running;

  /** @param running whether the broker still runs; an admin kept after close answers no more */
  Admin(EventLoop[] loops, Sessions sessions, Router router, Metrics metrics, BooleanSupplier running) {
    this.loops = loops;
    this.sessions = sessions;
    this.router = router;
    this.metrics = metrics;
    this.running = running;
  }

  @Override
  public CompletionStage<List<SessionInfo>> sessions() {
    List<CompletableFuture<List<SessionInfo>>> perLoop = new ArrayList<>(loops.length);
    for (EventLoop loop : loops) {
      perLoop.add(ask(loop, () -> sessions.describe(loop.index())));
    }
    return CompletableFuture.allOf(perLoop.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
      List<SessionInfo> all = new ArrayList<>();
      perLoop.forEach(answer -> all.addAll(answer.join()));
      return all;
    });
  }

  @Override
  public CompletionStage<Optional<SessionInfo>> session(String clientId) {
    return askHome(clientId, () -> sessions.describe(clientId));
  }

  @Override
  public CompletionStage<Boolean> disconnect(String clientId) {
    return askHome(clientId, () -> sessions.disconnect(clientId));
  }

  @Override
  public CompletionStage<Boolean> redirect(String clientId, String serverReference, boolean permanent) {
    Objects.requireNonNull(serverReference, "serverReference");
    if (!Properties.isSendable(serverReference)) {
      throw new IllegalArgumentException("not a valid MQTT string (over 65,535 bytes in UTF-8, U+0000 or an "
          + "unpaired surrogate): " + serverReference);
    }
    return askHome(clientId, () -> sessions.redirect(clientId, serverReference, permanent));
  }

  @Override
  public CompletionStage<Boolean> removeSession(String clientId) {
    return askHome(clientId, () -> sessions.remove(clientId));
  }

  @Override
  public List<Message> retainedMessages() {
    List<Message> all = new ArrayList<>();
    router.retained().forEach((topic, message) ->
        all.add(ApiMessages.toApi(message, message.qos(), true)));
    return all;
  }

  @Override
  public boolean clearRetained(String topic) {
    Objects.requireNonNull(topic, "topic");
    return sessions.clearRetained(topic);
  }

  @Override
  public MetricsSnapshot metrics() {
    return metrics.snapshot(sessions.connectedCount());
  }

  private <T> CompletableFuture<T> askHome(String clientId, Supplier<T> question) {
    Objects.requireNonNull(clientId, "clientId");
    return ask(loops[Math.floorMod(clientId.hashCode(), loops.length)], question);
  }

  private <T> CompletableFuture<T> ask(EventLoop loop, Supplier<T> question) {
    if (!running.getAsBoolean()) {
      return CompletableFuture.failedFuture(new IllegalStateException("the broker is not running"));
    }
    CompletableFuture<T> answer = new CompletableFuture<>();
    Runnable command = () -> {
      try {
        answer.complete(question.get());
      } catch (RuntimeException e) {
        answer.completeExceptionally(e);
      }
    };
    if (!loop.execute(command)) {
      answer.completeExceptionally(new RejectedExecutionException(
          "event loop " + loop.index() + " is too busy to answer; ask again later"));
    }
    return answer;
  }
}
