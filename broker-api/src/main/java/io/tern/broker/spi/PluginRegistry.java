package io.tern.broker.spi;

import io.tern.broker.hook.AsyncPublishInterceptor;
import io.tern.broker.hook.LifecycleListener;
import io.tern.broker.hook.MessageListener;
import io.tern.broker.hook.PublishInterceptor;
import io.tern.broker.hook.SubscribeInterceptor;
import io.tern.broker.spi.auth.Authenticator;
import io.tern.broker.spi.auth.Authorizer;
import io.tern.broker.spi.store.RetainedStore;
import io.tern.broker.spi.store.SessionStore;

/**
 * What a {@link TernPlugin} can register. The single-valued parts (authenticator, stores) may be
 * provided by one plugin only; a second is an error at build time naming both plugins, and one
 * set on the builder itself takes precedence over any plugin's.
 */
public interface PluginRegistry {

  PluginRegistry authenticator(Authenticator authenticator);

  PluginRegistry addAuthorizer(Authorizer authorizer);

  PluginRegistry addPublishInterceptor(PublishInterceptor interceptor);

  PluginRegistry addAsyncPublishInterceptor(AsyncPublishInterceptor interceptor);

  PluginRegistry addSubscribeInterceptor(SubscribeInterceptor interceptor);

  PluginRegistry addLifecycleListener(LifecycleListener listener);

  PluginRegistry addMessageListener(MessageListener listener);

  PluginRegistry sessionStore(SessionStore store);

  PluginRegistry retainedStore(RetainedStore store);
}
