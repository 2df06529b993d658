package io.tern.broker.core.hook;

import io.tern.broker.client.ClientInfo;
import io.tern.broker.client.DisconnectReason;
import io.tern.broker.core.delivery.ApiMessages;
import io.tern.broker.core.delivery.Message;
import io.tern.broker.hook.AsyncPublishInterceptor;
import io.tern.broker.hook.DropReason;
import io.tern.broker.hook.LifecycleListener;
import io.tern.broker.hook.MessageListener;
import io.tern.broker.hook.PublishContext;
import io.tern.broker.hook.PublishDecision;
import io.tern.broker.hook.PublishInterceptor;
import io.tern.broker.hook.SessionEndReason;
import io.tern.broker.hook.SubscribeDecision;
import io.tern.broker.hook.SubscribeInterceptor;
import io.tern.broker.message.QoS;
import io.tern.broker.message.ReasonCode;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hooks registered on the builder, compiled into arrays: a hook point nobody uses costs one
 * length check and allocates nothing. Called on event loops; see {@link io.tern.broker.hook} for
 * the contract the hooks themselves keep.
 */
public final class Hooks {
  private static final Logger log = LoggerFactory.getLogger(Hooks.class);

  private final PublishInterceptor[] publishInterceptors;
  private final AsyncPublishInterceptor[] asyncPublishInterceptors;
  private final SubscribeInterceptor[] subscribeInterceptors;
  private final LifecycleListener[] lifecycleListeners;
  private final MessageListener[] messageListeners;

  public Hooks(List<PublishInterceptor> publishInterceptors, List<AsyncPublishInterceptor> asyncPublishInterceptors,
      List<SubscribeInterceptor> subscribeInterceptors, List<LifecycleListener> lifecycleListeners,
      List<MessageListener> messageListeners) {
    this.publishInterceptors = publishInterceptors.toArray(new PublishInterceptor[0]);
    this.asyncPublishInterceptors = asyncPublishInterceptors.toArray(new AsyncPublishInterceptor[0]);
    this.subscribeInterceptors = subscribeInterceptors.toArray(new SubscribeInterceptor[0]);
    this.lifecycleListeners = lifecycleListeners.toArray(new LifecycleListener[0]);
    this.messageListeners = messageListeners.toArray(new MessageListener[0]);
  }

  /** Whether some synchronous interceptor looks at publishes; when not, {@link #interceptPublish} need not run. */
  public boolean interceptsPublishes() {
    return publishInterceptors.length > 0;
  }

  /**
   * Runs the publish interceptors.
   *
   * @param client the publishing client, or null for the host application
   * @return the message to route (the same instance when no interceptor changed it), or none and
   *     why
   */
  public PublishVerdict interceptPublish(ClientInfo client, Message message) {
    if (publishInterceptors.length == 0) {
      return PublishVerdict.route(message);
    }
    PublishContext context = new PublishContext(Optional.ofNullable(client),
        toApi(message, message.qos(), message.retain()));
    boolean modified = false;
    for (PublishInterceptor interceptor : publishInterceptors) {
      PublishDecision decision;
      try {
        decision = interceptor.intercept(context);
      } catch (RuntimeException e) {
        log.warn("publish interceptor {} failed on '{}'; the message is not delivered", interceptor,
            context.message().topic(), e);
        return PublishVerdict.stopped(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
      }
      if (decision == null) {
        log.warn("publish interceptor {} returned no decision on '{}'; the message is not delivered",
            interceptor, context.message().topic());
        return PublishVerdict.stopped(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
      }
      switch (decision.kind()) {
        case PROCEED -> { }
        case MODIFY -> {
          context = new PublishContext(context.client(), decision.message());
          modified = true;
        }
        case REJECT -> {
          return PublishVerdict.stopped(decision.reasonCode());
        }
        default -> {
          return PublishVerdict.dropped();
        }
      }
    }
    return PublishVerdict.route(modified ? ApiMessages.changed(message, context.message()) : message);
  }

  /** Whether some interceptor decides asynchronously, so that publishes must wait for it. */
  public boolean decidesAsynchronously() {
    return asyncPublishInterceptors.length > 0;
  }

  /**
   * Runs the asynchronous interceptors one after another, each answer coming back through {@code
   * loop} (the publishing loop's completion queue).
   *
   * @param done called through {@code loop} with the verdict
   */
  public void interceptAsync(ClientInfo client, Message message, Executor loop, Consumer<PublishVerdict> done) {
    new AsyncChain(new PublishContext(Optional.ofNullable(client), toApi(message, message.qos(), message.retain())),
        message, loop, done).ask(0);
  }

  /** One message's way through the asynchronous interceptors. */
  private final class AsyncChain {
    private final Message original;
    private final Executor loop;
    private final Consumer<PublishVerdict> done;
    private PublishContext context;
    private boolean modified;

    AsyncChain(PublishContext context, Message original, Executor loop, Consumer<PublishVerdict> done) {
      this.context = context;
      this.original = original;
      this.loop = loop;
      this.done = done;
    }

    void ask(int index) {
      if (index == asyncPublishInterceptors.length) {
        done.accept(PublishVerdict.route(modified ? ApiMessages.changed(original, context.message()) : original));
        return;
      }
      AsyncPublishInterceptor interceptor = asyncPublishInterceptors[index];
      CompletableFuture<PublishDecision> answer = new CompletableFuture<>();
      try {
        interceptor.intercept(context).whenComplete((decision, failure) -> {
          if (failure != null) {
            answer.completeExceptionally(failure);
          } else {
            answer.complete(decision);
          }
        });
        answer.completeOnTimeout(interceptor.onTimeout(), interceptor.timeout().toNanos(), TimeUnit.NANOSECONDS);
      } catch (RuntimeException e) {
        answer.completeExceptionally(e);
      }
      answer.whenComplete((decision, failure) -> loop.execute(() -> onDecision(index, interceptor, decision, failure)));
    }

    private void onDecision(int index, AsyncPublishInterceptor interceptor, PublishDecision decision, Throwable failure) {
      if (failure != null || decision == null) {
        log.warn("async publish interceptor {} failed on '{}'; the message is not delivered", interceptor,
            context.message().topic(), failure);
        done.accept(PublishVerdict.stopped(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR));
        return;
      }
      switch (decision.kind()) {
        case PROCEED -> ask(index + 1);
        case MODIFY -> {
          context = new PublishContext(context.client(), decision.message());
          modified = true;
          ask(index + 1);
        }
        case REJECT -> done.accept(PublishVerdict.stopped(decision.reasonCode()));
        default -> done.accept(PublishVerdict.dropped());
      }
    }
  }

  /**
   * Runs the subscribe interceptors.
   *
   * @return the QoS to grant, at most {@code qos}; or, when the filter is refused, the negated
   *     value of the reason code
   */
  public int interceptSubscribe(ClientInfo client, String topicFilter, int qos) {
    int granted = qos;
    for (SubscribeInterceptor interceptor : subscribeInterceptors) {
      SubscribeDecision decision;
      try {
        decision = interceptor.intercept(client, topicFilter, QoS.of(granted));
      } catch (RuntimeException e) {
        log.warn("subscribe interceptor {} failed on '{}' of client '{}'; refused", interceptor, topicFilter,
            client.clientId(), e);
        return -ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR.value();
      }
      if (decision == null) {
        return -ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR.value();
      }
      if (decision.rejected()) {
        return -decision.reasonCode().value();
      }
      if (decision.grantedQos() != null) {
        granted = Math.min(granted, decision.grantedQos().value());
      }
    }
    return granted;
  }

  public void connected(ClientInfo client, boolean sessionPresent) {
    if (lifecycleListeners.length > 0) {
      notifyLifecycle(listener -> listener.onConnected(client, sessionPresent));
    }
  }

  public void authenticationFailed(String clientId, InetSocketAddress remoteAddress, ReasonCode reason) {
    if (lifecycleListeners.length > 0) {
      notifyLifecycle(listener -> listener.onAuthenticationFailed(clientId, remoteAddress, reason));
    }
  }

  public void disconnected(ClientInfo client, DisconnectReason reason) {
    if (lifecycleListeners.length > 0) {
      notifyLifecycle(listener -> listener.onDisconnected(client, reason));
    }
  }

  public void sessionCreated(String clientId, boolean persistent) {
    if (lifecycleListeners.length > 0) {
      notifyLifecycle(listener -> listener.onSessionCreated(clientId, persistent));
    }
  }

  public void sessionResumed(String clientId) {
    if (lifecycleListeners.length > 0) {
      notifyLifecycle(listener -> listener.onSessionResumed(clientId));
    }
  }

  public void sessionEnded(String clientId, SessionEndReason reason) {
    if (lifecycleListeners.length > 0) {
      notifyLifecycle(listener -> listener.onSessionEnded(clientId, reason));
    }
  }

  public void published(ClientInfo publisher, Message message) {
    if (messageListeners.length > 0) {
      io.tern.broker.message.Message view = toApi(message, message.qos(), message.retain());
      notifyMessage(listener -> listener.onPublished(Optional.ofNullable(publisher), view));
    }
  }

  public void delivered(String clientId, Message message, int qos, boolean retain) {
    if (messageListeners.length > 0) {
      io.tern.broker.message.Message view = toApi(message, qos, retain);
      notifyMessage(listener -> listener.onDelivered(clientId, view));
    }
  }

  public void acknowledged(String clientId, Message message, int qos) {
    if (messageListeners.length > 0) {
      io.tern.broker.message.Message view = toApi(message, qos, false);
      notifyMessage(listener -> listener.onAcknowledged(clientId, view));
    }
  }

  public void dropped(String clientId, Message message, int qos, DropReason reason) {
    if (messageListeners.length > 0) {
      io.tern.broker.message.Message view = toApi(message, qos, false);
      notifyMessage(listener -> listener.onDropped(clientId, view, reason));
    }
  }

  private void notifyMessage(Consumer<MessageListener> event) {
    for (MessageListener listener : messageListeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        log.warn("message listener {} failed; ignored", listener, e);
      }
    }
  }

  // Callers check for listeners first, so that an unused hook point allocates no lambda.
  private void notifyLifecycle(Consumer<LifecycleListener> event) {
    for (LifecycleListener listener : lifecycleListeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        log.warn("lifecycle listener {} failed; ignored", listener, e);
      }
    }
  }

  private static io.tern.broker.message.Message toApi(Message message, int qos, boolean retain) {
    return ApiMessages.toApi(message, qos, retain);
  }
}
