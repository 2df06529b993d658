package io.tern.broker.core.runtime;

import io.tern.broker.Broker;
import io.tern.broker.BrokerBuilder;
import io.tern.broker.Durability;
import io.tern.broker.SharedSubscriptionStrategy;
import io.tern.broker.core.BrokerConfig;
import io.tern.broker.core.auth.AclAuthorizer;
import io.tern.broker.core.auth.PasswordFile;
import io.tern.broker.core.auth.PasswordFileAuthenticator;
import io.tern.broker.core.auth.PasswordHasher;
import io.tern.broker.core.hook.Hooks;
import io.tern.broker.core.session.AccessControl;
import io.tern.broker.core.store.file.FileStore;
import io.tern.broker.core.store.file.LogConfig;
import io.tern.broker.core.store.memory.MemoryRetainedStore;
import io.tern.broker.core.store.memory.MemorySessionStore;
import io.tern.broker.hook.AsyncPublishInterceptor;
import io.tern.broker.hook.LifecycleListener;
import io.tern.broker.hook.MessageListener;
import io.tern.broker.hook.PublishInterceptor;
import io.tern.broker.hook.SubscribeInterceptor;
import io.tern.broker.message.QoS;
import io.tern.broker.spi.TernPlugin;
import io.tern.broker.spi.auth.Authenticator;
import io.tern.broker.spi.auth.Authorizer;
import io.tern.broker.spi.store.RetainedStore;
import io.tern.broker.spi.store.SessionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** Collects settings; {@link #build()} validates them into a {@link BrokerConfig}. */
final class TernBrokerBuilder implements BrokerBuilder {
  private String host = "127.0.0.1";
  private int port = 1883;
  private int eventLoops = Runtime.getRuntime().availableProcessors();
  private int maxPacketSize = 1024 * 1024;
  private int maxInflight = 32;
  private int maxQueuedMessages = 1000;
  private int maxOutboundBytes = 8 * 1024 * 1024;
  private Duration connectTimeout = Duration.ofSeconds(10);
  private int maxConnections = Integer.MAX_VALUE;
  private QoS maxQos = QoS.EXACTLY_ONCE;
  private int maxTopicLength = 65_535;
  private int maxTopicLevels = 128;
  private int maxSubscriptionsPerClient = 1000;
  private int maxClientIdLength = 256;
  private int receiveMaximum = 65_535;
  private int topicAliasMaximum = 16;
  private int outboundTopicAliases = 16;
  private long maxSessionExpirySeconds = 0xFFFF_FFFFL;
  private int maxKeepAliveSeconds = 65_535;
  private String responseInformation;
  private Duration sysInterval = Duration.ZERO;
  private SharedSubscriptionStrategy sharedSubscriptionStrategy = SharedSubscriptionStrategy.ROUND_ROBIN;
  private Authenticator authenticator;
  private Path passwordFile;
  private boolean allowAnonymous;
  private final List<Authorizer> authorizers = new ArrayList<>();
  private final List<PublishInterceptor> publishInterceptors = new ArrayList<>();
  private final List<AsyncPublishInterceptor> asyncPublishInterceptors = new ArrayList<>();
  private final List<SubscribeInterceptor> subscribeInterceptors = new ArrayList<>();
  private final List<LifecycleListener> lifecycleListeners = new ArrayList<>();
  private final List<MessageListener> messageListeners = new ArrayList<>();
  private final List<TernPlugin> plugins = new ArrayList<>();
  private boolean discoverPlugins;
  private SessionStore sessionStore;
  private RetainedStore retainedStore;
  private Path dataDirectory;
  private Durability durability = Durability.SYNC;
  private long compactionBytes = FileStore.DEFAULT_COMPACTION_BYTES;

  @Override
  public BrokerBuilder host(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  @Override
  public BrokerBuilder port(int port) {
    this.port = port;
    return this;
  }

  @Override
  public BrokerBuilder eventLoops(int count) {
    this.eventLoops = count;
    return this;
  }

  @Override
  public BrokerBuilder maxPacketSize(int bytes) {
    this.maxPacketSize = bytes;
    return this;
  }

  @Override
  public BrokerBuilder maxInflight(int messages) {
    this.maxInflight = messages;
    return this;
  }

  @Override
  public BrokerBuilder maxQueuedMessages(int messages) {
    this.maxQueuedMessages = messages;
    return this;
  }

  @Override
  public BrokerBuilder maxOutboundBytes(int bytes) {
    this.maxOutboundBytes = bytes;
    return this;
  }

  @Override
  public BrokerBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  @Override
  public BrokerBuilder maxConnections(int connections) {
    this.maxConnections = connections;
    return this;
  }

  @Override
  public BrokerBuilder maxQos(QoS qos) {
    this.maxQos = Objects.requireNonNull(qos, "qos");
    return this;
  }

  @Override
  public BrokerBuilder maxTopicLength(int bytes) {
    this.maxTopicLength = bytes;
    return this;
  }

  @Override
  public BrokerBuilder maxTopicLevels(int levels) {
    this.maxTopicLevels = levels;
    return this;
  }

  @Override
  public BrokerBuilder maxSubscriptionsPerClient(int subscriptions) {
    this.maxSubscriptionsPerClient = subscriptions;
    return this;
  }

  @Override
  public BrokerBuilder maxClientIdLength(int bytes) {
    this.maxClientIdLength = bytes;
    return this;
  }

  @Override
  public BrokerBuilder receiveMaximum(int messages) {
    this.receiveMaximum = messages;
    return this;
  }

  @Override
  public BrokerBuilder topicAliasMaximum(int aliases) {
    this.topicAliasMaximum = aliases;
    return this;
  }

  @Override
  public BrokerBuilder outboundTopicAliases(int aliases) {
    this.outboundTopicAliases = aliases;
    return this;
  }

  @Override
  public BrokerBuilder maxSessionExpiry(Duration expiry) {
    this.maxSessionExpirySeconds = Objects.requireNonNull(expiry, "expiry").toSeconds();
    return this;
  }

  @Override
  public BrokerBuilder maxKeepAlive(Duration keepAlive) {
    this.maxKeepAliveSeconds = (int) Math.min(Objects.requireNonNull(keepAlive, "keepAlive").toSeconds(),
        Integer.MAX_VALUE);
    return this;
  }

  @Override
  public BrokerBuilder responseInformation(String responseInformation) {
    this.responseInformation = Objects.requireNonNull(responseInformation, "responseInformation");
    return this;
  }

  @Override
  public BrokerBuilder sysTopicInterval(Duration interval) {
    this.sysInterval = Objects.requireNonNull(interval, "interval");
    return this;
  }

  @Override
  public BrokerBuilder sharedSubscriptionStrategy(SharedSubscriptionStrategy strategy) {
    this.sharedSubscriptionStrategy = Objects.requireNonNull(strategy, "strategy");
    return this;
  }

  @Override
  public BrokerBuilder authenticator(Authenticator authenticator) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.passwordFile = null;
    return this;
  }

  @Override
  public BrokerBuilder passwordFile(Path file) {
    this.passwordFile = Objects.requireNonNull(file, "file");
    this.authenticator = null;
    return this;
  }

  @Override
  public BrokerBuilder aclFile(Path file) {
    try {
      authorizers.add(AclAuthorizer.load(Objects.requireNonNull(file, "file")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the ACL file " + file, e);
    }
    return this;
  }

  @Override
  public BrokerBuilder allowAnonymous() {
    this.allowAnonymous = true;
    return this;
  }

  @Override
  public BrokerBuilder addAuthorizer(Authorizer authorizer) {
    authorizers.add(Objects.requireNonNull(authorizer, "authorizer"));
    return this;
  }

  @Override
  public BrokerBuilder addPublishInterceptor(PublishInterceptor interceptor) {
    publishInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
    return this;
  }

  @Override
  public BrokerBuilder addAsyncPublishInterceptor(AsyncPublishInterceptor interceptor) {
    asyncPublishInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
    return this;
  }

  @Override
  public BrokerBuilder addSubscribeInterceptor(SubscribeInterceptor interceptor) {
    subscribeInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
    return this;
  }

  @Override
  public BrokerBuilder addLifecycleListener(LifecycleListener listener) {
    lifecycleListeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  @Override
  public BrokerBuilder addMessageListener(MessageListener listener) {
    messageListeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  @Override
  public BrokerBuilder plugin(TernPlugin plugin) {
    plugins.add(Objects.requireNonNull(plugin, "plugin"));
    return this;
  }

  @Override
  public BrokerBuilder discoverPlugins() {
    this.discoverPlugins = true;
    return this;
  }

  @Override
  public BrokerBuilder dataDirectory(Path directory) {
    this.dataDirectory = Objects.requireNonNull(directory, "directory");
    return this;
  }

  @Override
  public BrokerBuilder durability(Durability value) {
    this.durability = Objects.requireNonNull(value, "durability");
    return this;
  }

  /** The data directory's size below which it is never compacted; tests lower it. */
  BrokerBuilder compactionBytes(long bytes) {
    this.compactionBytes = bytes;
    return this;
  }

  @Override
  public BrokerBuilder sessionStore(SessionStore store) {
    this.sessionStore = Objects.requireNonNull(store, "store");
    return this;
  }

  @Override
  public BrokerBuilder retainedStore(RetainedStore store) {
    this.retainedStore = Objects.requireNonNull(store, "store");
    return this;
  }

  private Authenticator passwordFileAuthenticator(List<AutoCloseable> resources) {
    PasswordFile users;
    try {
      users = PasswordFile.load(passwordFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the password file " + passwordFile, e);
    }
    // Hashing is slow on purpose: it gets a thread of its own, started on first use, closed with the broker.
    ExecutorService hashing = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "tern-auth");
      thread.setDaemon(true);
      return thread;
    });
    resources.add(hashing::shutdownNow);
    return new PasswordFileAuthenticator(users, new PasswordHasher(), hashing);
  }

  private List<TernPlugin> allPlugins() {
    List<TernPlugin> all = new ArrayList<>(plugins);
    if (discoverPlugins) {
      List<TernPlugin> found = new ArrayList<>();
      ServiceLoader.load(TernPlugin.class).forEach(found::add);
      found.sort(Comparator.comparing(TernPlugin::id));
      all.addAll(found);
    }
    Set<String> ids = new HashSet<>();
    for (TernPlugin plugin : all) {
      if (!ids.add(plugin.id())) {
        throw new IllegalArgumentException("two plugins have the id '" + plugin.id() + "'");
      }
    }
    return all;
  }

  private static <T> T firstOf(T own, T fromPlugin, Supplier<T> fallback) {
    return own != null ? own : fromPlugin != null ? fromPlugin : fallback.get();
  }

  /** Closes a plugin with the broker; named, so that a failure's log says which. */
  private record PluginCloser(TernPlugin plugin) implements AutoCloseable {
    @Override
    public void close() {
      plugin.close();
    }

    @Override
    public String toString() {
      return "plugin " + plugin.id();
    }
  }

  @Override
  public Broker build() {
    BrokerConfig config = new BrokerConfig(host, port, eventLoops, maxPacketSize, maxInflight,
        maxQueuedMessages, maxOutboundBytes, connectTimeout, maxConnections, maxQos.value(),
        maxTopicLength, maxTopicLevels, maxSubscriptionsPerClient, maxClientIdLength, receiveMaximum,
        topicAliasMaximum, outboundTopicAliases, maxSessionExpirySeconds, maxKeepAliveSeconds, responseInformation,
        sysInterval, sharedSubscriptionStrategy);
    List<AutoCloseable> resources = new ArrayList<>();
    List<TernPlugin> all = allPlugins();
    PluginAssembly assembly = new PluginAssembly();
    assembly.addBuilderHooks(authorizers, publishInterceptors, asyncPublishInterceptors, subscribeInterceptors,
        lifecycleListeners,
        messageListeners);
    assembly.register(all);
    for (TernPlugin plugin : all) {
      resources.add(new PluginCloser(plugin));
    }
    // What is set on the builder itself wins over what plugins provide.
    Authenticator chosen = authenticator != null ? authenticator : assembly.authenticator();
    if (passwordFile != null) {
      chosen = passwordFileAuthenticator(resources);
    }
    if (chosen == null && !allowAnonymous && !Interfaces.isLoopback(host)) {
      throw new IllegalArgumentException("listening on " + host + " without an authenticator would let anyone "
          + "on the network connect: configure an authenticator, or call allowAnonymous() to mean it");
    }
    SessionStore chosenSessions = firstOf(sessionStore, assembly.sessionStore(), () -> null);
    RetainedStore chosenRetained = firstOf(retainedStore, assembly.retainedStore(), () -> null);
    FileStore files = null;
    if (dataDirectory != null && (chosenSessions == null || chosenRetained == null)) {
      files = new FileStore(logConfig(), compactionBytes);
      resources.add(files); // closed after the loops, so that the last disconnects are written
      chosenSessions = chosenSessions != null ? chosenSessions : files.sessions();
      chosenRetained = chosenRetained != null ? chosenRetained : files.retained();
    }
    return new TernBroker(config, new AccessControl(chosen, assembly.authorizers()),
        new Hooks(assembly.publishInterceptors(), assembly.asyncPublishInterceptors(),
            assembly.subscribeInterceptors(), assembly.lifecycleListeners(), assembly.messageListeners()),
        resources, files,
        chosenSessions != null ? chosenSessions : new MemorySessionStore(),
        chosenRetained != null ? chosenRetained : new MemoryRetainedStore());
  }

  private LogConfig logConfig() {
    LogConfig log = LogConfig.of(dataDirectory.toAbsolutePath());
    return durability.mode() == Durability.Mode.SYNC
        ? log.withDurability(io.tern.broker.core.store.file.Durability.SYNC)
        : log.withDurability(io.tern.broker.core.store.file.Durability.BATCH)
            .withBatchInterval(durability.batchInterval());
  }
}
