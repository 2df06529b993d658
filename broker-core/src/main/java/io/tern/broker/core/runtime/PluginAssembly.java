package io.tern.broker.core.runtime;

import io.tern.broker.hook.AsyncPublishInterceptor;
import io.tern.broker.hook.LifecycleListener;
import io.tern.broker.hook.MessageListener;
import io.tern.broker.hook.PublishInterceptor;
import io.tern.broker.hook.SubscribeInterceptor;
import io.tern.broker.spi.PluginRegistry;
import io.tern.broker.spi.TernPlugin;
import io.tern.broker.spi.auth.Authenticator;
import io.tern.broker.spi.auth.Authorizer;
import io.tern.broker.spi.store.RetainedStore;
import io.tern.broker.spi.store.SessionStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Gathers what the builder and the plugins provide, in the order hooks are to run: by priority,
 * highest first, then in the order they were registered (the builder's own first, at priority 0).
 */
final class PluginAssembly {
  private record Ranked<T>(int priority, int order, T item) {}

  /** A single-valued part and who provided it. */
  private static final class Single<T> {
    private T value;
    private String owner;

    void offer(T candidate, String candidateOwner) {
      Objects.requireNonNull(candidate, "a plugin registered null");
      if (value != null) {
        throw new IllegalArgumentException("both " + owner + " and " + candidateOwner
            + " provide the same part; keep one of them");
      }
      value = candidate;
      owner = candidateOwner;
    }
  }

  private final List<Ranked<Authorizer>> authorizers = new ArrayList<>();
  private final List<Ranked<PublishInterceptor>> publishInterceptors = new ArrayList<>();
  private final List<Ranked<AsyncPublishInterceptor>> asyncPublishInterceptors = new ArrayList<>();
  private final List<Ranked<SubscribeInterceptor>> subscribeInterceptors = new ArrayList<>();
  private final List<Ranked<LifecycleListener>> lifecycleListeners = new ArrayList<>();
  private final List<Ranked<MessageListener>> messageListeners = new ArrayList<>();
  private final Single<Authenticator> authenticator = new Single<>();
  private final Single<SessionStore> sessionStore = new Single<>();
  private final Single<RetainedStore> retainedStore = new Single<>();
  private int order;

  /** Adds the hooks set on the builder itself, at priority 0. */
  void addBuilderHooks(List<Authorizer> authorizerList, List<PublishInterceptor> publishList,
      List<AsyncPublishInterceptor> asyncPublishList,
      List<SubscribeInterceptor> subscribeList, List<LifecycleListener> lifecycleList,
      List<MessageListener> messageList) {
    authorizerList.forEach(item -> authorizers.add(new Ranked<>(0, order++, item)));
    publishList.forEach(item -> publishInterceptors.add(new Ranked<>(0, order++, item)));
    asyncPublishList.forEach(item -> asyncPublishInterceptors.add(new Ranked<>(0, order++, item)));
    subscribeList.forEach(item -> subscribeInterceptors.add(new Ranked<>(0, order++, item)));
    lifecycleList.forEach(item -> lifecycleListeners.add(new Ranked<>(0, order++, item)));
    messageList.forEach(item -> messageListeners.add(new Ranked<>(0, order++, item)));
  }

  /** Lets each plugin register, highest priority first. */
  void register(List<TernPlugin> plugins) {
    List<TernPlugin> sorted = new ArrayList<>(plugins);
    sorted.sort(Comparator.comparingInt(TernPlugin::priority).reversed());
    for (TernPlugin plugin : sorted) {
      plugin.register(new Registry(plugin));
    }
  }

  List<Authorizer> authorizers() {
    return ordered(authorizers);
  }

  List<PublishInterceptor> publishInterceptors() {
    return ordered(publishInterceptors);
  }

  List<AsyncPublishInterceptor> asyncPublishInterceptors() {
    return ordered(asyncPublishInterceptors);
  }

  List<SubscribeInterceptor> subscribeInterceptors() {
    return ordered(subscribeInterceptors);
  }

  List<LifecycleListener> lifecycleListeners() {
    return ordered(lifecycleListeners);
  }

  List<MessageListener> messageListeners() {
    return ordered(messageListeners);
  }

  /** The plugins' authenticator, or null. */
  Authenticator authenticator() {
    return authenticator.value;
  }

  SessionStore sessionStore() {
    return sessionStore.value;
  }

  RetainedStore retainedStore() {
    return retainedStore.value;
  }

  private static <T> List<T> ordered(List<Ranked<T>> ranked) {
    return ranked.stream()
        .sorted(Comparator.comparingInt((Ranked<T> r) -> -r.priority()).thenComparingInt(Ranked::order))
        .map(Ranked::item)
        .toList();
  }

  /** The registry one plugin sees: everything it adds carries its priority and its name. */
  private final class Registry implements PluginRegistry {
    private final TernPlugin plugin;

    Registry(TernPlugin plugin) {
      this.plugin = plugin;
    }

    private <T> void rank(List<Ranked<T>> list, T item) {
      list.add(new Ranked<>(plugin.priority(), order++, Objects.requireNonNull(item,
          "plugin " + plugin.id() + " registered null")));
    }

    @Override
    public PluginRegistry authenticator(Authenticator value) {
      authenticator.offer(value, "plugin " + plugin.id());
      return this;
    }

    @Override
    public PluginRegistry addAuthorizer(Authorizer value) {
      rank(authorizers, value);
      return this;
    }

    @Override
    public PluginRegistry addPublishInterceptor(PublishInterceptor value) {
      rank(publishInterceptors, value);
      return this;
    }

    @Override
    public PluginRegistry addAsyncPublishInterceptor(AsyncPublishInterceptor value) {
      rank(asyncPublishInterceptors, value);
      return this;
    }

    @Override
    public PluginRegistry addSubscribeInterceptor(SubscribeInterceptor value) {
      rank(subscribeInterceptors, value);
      return this;
    }

    @Override
    public PluginRegistry addLifecycleListener(LifecycleListener value) {
      rank(lifecycleListeners, value);
      return this;
    }

    @Override
    public PluginRegistry addMessageListener(MessageListener value) {
      rank(messageListeners, value);
      return this;
    }

    @Override
    public PluginRegistry sessionStore(SessionStore value) {
      sessionStore.offer(value, "plugin " + plugin.id());
      return this;
    }

    @Override
    public PluginRegistry retainedStore(RetainedStore value) {
      retainedStore.offer(value, "plugin " + plugin.id());
      return this;
    }
  }
}
