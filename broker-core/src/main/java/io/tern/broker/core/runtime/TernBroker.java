package io.tern.broker.core.runtime;

import io.tern.broker.Broker;
import io.tern.broker.Subscription;
import io.tern.broker.admin.BrokerAdmin;
import io.tern.broker.client.DisconnectReason;
import io.tern.broker.core.BrokerConfig;
import io.tern.broker.core.Metrics;
import io.tern.broker.core.delivery.Router;
import io.tern.broker.core.hook.Hooks;
import io.tern.broker.core.local.LocalClient;
import io.tern.broker.core.session.AccessControl;
import io.tern.broker.core.session.Sessions;
import io.tern.broker.core.store.file.FileStore;
import io.tern.broker.core.transport.Acceptor;
import io.tern.broker.core.transport.Connection;
import io.tern.broker.core.transport.EventLoop;
import io.tern.broker.message.Message;
import io.tern.broker.message.QoS;
import io.tern.broker.spi.store.RetainedStore;
import io.tern.broker.spi.store.SessionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The broker: wires loops, router and sessions together, and runs their lifecycle. */
final class TernBroker implements Broker {
  private static final Logger log = LoggerFactory.getLogger(TernBroker.class);
  private static final int INBOX_CAPACITY = 64 * 1024;
  private static final int READ_BUFFER_SIZE = 64 * 1024;
  private static final int OVERFLOW_LIMIT = 16 * 1024;
  private static final long CLOSE_TIMEOUT_SECONDS = 10;

  private enum State { NEW, RUNNING, CLOSED }

  private final BrokerConfig config;
  private final AccessControl access;
  private final Hooks hooks;
  private final List<AutoCloseable> resources;
  private final SessionStore sessionStore;
  private final RetainedStore retainedStore;
  private final FileStore files;
  private final Object lifecycle = new Object();
  private volatile State state = State.NEW;
  private volatile InetSocketAddress address;
  private EventLoop[] loops;
  private Acceptor acceptor;
  private volatile LocalClient local;
  private volatile Admin admin;

  /** @param files the data directory's store, opened at start; null without one */
  TernBroker(BrokerConfig config, AccessControl access, Hooks hooks, List<AutoCloseable> resources,
      FileStore files, SessionStore sessionStore, RetainedStore retainedStore) {
    this.config = config;
    this.access = access;
    this.hooks = hooks;
    this.resources = List.copyOf(resources);
    this.sessionStore = sessionStore;
    this.retainedStore = retainedStore;
    this.files = files;
  }

  @Override
  public Broker start() {
    synchronized (lifecycle) {
      if (state == State.RUNNING) {
        return this;
      }
      if (state == State.CLOSED) {
        throw new IllegalStateException("a closed broker cannot be started again; build a new one");
      }
      long begin = System.nanoTime();
      EventLoop[] newLoops = new EventLoop[config.eventLoops()];
      for (int i = 0; i < newLoops.length; i++) {
        newLoops[i] = new EventLoop("tern", i, INBOX_CAPACITY, READ_BUFFER_SIZE);
      }
      Router router = new Router(newLoops, OVERFLOW_LIMIT, config.sharedSubscriptionStrategy());
      Metrics metrics = new Metrics();
      Sessions sessions = new Sessions(config, newLoops, router, sessionStore, retainedStore, access, hooks,
          metrics);
      try {
        openFiles();
        sessions.load();
        acceptor = Acceptor.bind(new InetSocketAddress(config.host(), config.port()), newLoops,
            config.maxPacketSize(), sessions::newHandler, metrics);
      } catch (IOException e) {
        shutdownLoops(newLoops, false);
        releaseFiles();
        throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port(), e);
      } catch (RuntimeException e) {
        shutdownLoops(newLoops, false);
        releaseFiles();
        throw e;
      }
      for (int i = 0; i < newLoops.length; i++) {
        router.dispatcher(i).install();
        newLoops[i].start();
      }
      loops = newLoops;
      local = new LocalClient(newLoops, router, sessions);
      admin = new Admin(newLoops, sessions, router, metrics, this::isRunning);
      address = acceptor.address();
      state = State.RUNNING;
      if (!config.sysInterval().isZero()) {
        new SysTopics(this, newLoops[0], config.sysInterval()).start();
      }
      if (!access.authenticates() && !Interfaces.isLoopback(config.host())) {
        log.warn("accepting clients without authentication on {}: anyone who can reach it may connect",
            address.getHostString());
      }
      log.info("Tern MQTT broker listening on {}:{} ({} event loops, started in {} ms)",
          address.getHostString(), address.getPort(), newLoops.length,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
      return this;
    }
  }

  @Override
  public void close() {
    synchronized (lifecycle) {
      State previous = state;
      if (previous == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      if (previous == State.RUNNING) {
        acceptor.close();
        closeConnections();
        shutdownLoops(loops, true);
      }
      closeResources();
      if (previous != State.RUNNING) {
        return;
      }
      log.info("Tern MQTT broker on {}:{} stopped", address.getHostString(), address.getPort());
    }
  }

  private void openFiles() {
    if (files == null) {
      return;
    }
    try {
      files.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the data directory " + files.directory().toAbsolutePath()
          + ": " + e.getMessage(), e);
    }
  }

  /** Unlocks the data directory after a failed start, so that another broker may use it. */
  private void releaseFiles() {
    if (files != null) {
      files.close();
    }
  }

  private void closeResources() {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("closing {}", resource, e);
      }
    }
  }

  /** Closes every client connection on its own loop, so that wills are published as for any close. */
  private void closeConnections() {
    CountDownLatch closed = new CountDownLatch(loops.length);
    for (EventLoop loop : loops) {
      Runnable closeAll = () -> {
        for (Connection connection : loop.connections()) {
          connection.close(DisconnectReason.BROKER_STOPPED, null);
        }
        closed.countDown();
      };
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_TIMEOUT_SECONDS);
      while (!loop.execute(closeAll)) {
        if (System.nanoTime() > deadline) {
          closed.countDown();
          break;
        }
        LockSupport.parkNanos(1_000_000); // off-loop caller; the loop is busy draining
      }
    }
    try {
      if (!closed.await(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        log.warn("some event loops did not close their connections within {} s", CLOSE_TIMEOUT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void shutdownLoops(EventLoop[] loops, boolean started) {
    for (EventLoop loop : loops) {
      loop.shutdown();
    }
    if (!started) {
      for (EventLoop loop : loops) {
        loop.closeUnstarted();
      }
      return;
    }
    for (EventLoop loop : loops) {
      try {
        loop.awaitTermination();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public InetSocketAddress address() {
    InetSocketAddress bound = address;
    if (state != State.RUNNING || bound == null) {
      throw new IllegalStateException("the broker is not running");
    }
    return bound;
  }

  @Override
  public boolean isRunning() {
    return state == State.RUNNING;
  }

  @Override
  public CompletionStage<Void> publish(Message message) {
    LocalClient client = local;
    if (state != State.RUNNING || client == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("the broker is not running"));
    }
    return client.publish(message);
  }

  @Override
  public Subscription subscribe(String topicFilter, QoS qos, Consumer<Message> handler, Executor executor) {
    LocalClient client = local;
    if (state != State.RUNNING || client == null) {
      throw new IllegalStateException("the broker is not running");
    }
    return client.subscribe(topicFilter, qos, handler, executor);
  }

  @Override
  public BrokerAdmin admin() {
    Admin running = admin;
    if (state != State.RUNNING || running == null) {
      throw new IllegalStateException("the broker is not running");
    }
    return running;
  }

  @Override
  public String toString() {
    return "TernBroker[" + state + (address != null ? " " + address : "") + "]";
  }
}
