package io.tern.broker.core.session;

import io.tern.broker.admin.SessionInfo;
import io.tern.broker.client.ClientInfo;
import io.tern.broker.client.DisconnectReason;
import io.tern.broker.core.BrokerConfig;
import io.tern.broker.core.Metrics;
import io.tern.broker.core.delivery.Message;
import io.tern.broker.core.delivery.Router;
import io.tern.broker.core.delivery.SubscriptionOptions;
import io.tern.broker.core.hook.Hooks;
import io.tern.broker.core.hook.PublishVerdict;
import io.tern.broker.core.transport.Connection;
import io.tern.broker.core.transport.ConnectionHandler;
import io.tern.broker.core.transport.EventLoop;
import io.tern.broker.hook.SessionEndReason;
import io.tern.broker.message.QoS;
import io.tern.broker.message.ReasonCode;
import io.tern.broker.spi.store.RetainedMessage;
import io.tern.broker.spi.store.RetainedStore;
import io.tern.broker.spi.store.SessionStore;
import io.tern.broker.spi.store.StoredSession;
import io.tern.broker.spi.store.StoredSubscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All sessions of the broker, each kept by its client id's home loop, and what the protocol
 * handlers share: configuration, router, stores, counters.
 */
public final class Sessions {
  private static final Logger log = LoggerFactory.getLogger(Sessions.class);
  private static final long LOAD_TIMEOUT_SECONDS = 60;
  private static final String SYS_PREFIX = "$SYS/";

  private final BrokerConfig config;
  private final EventLoop[] loops;
  private final Router router;
  private final SessionStore sessionStore;
  private final RetainedStore retainedStore;
  private final AccessControl access;
  private final Hooks hooks;
  private final Metrics metrics;
  private final SessionContext context;
  private final List<Map<String, Session>> byLoop;
  private final AtomicInteger connected = new AtomicInteger();

  public Sessions(BrokerConfig config, EventLoop[] loops, Router router, SessionStore sessionStore,
      RetainedStore retainedStore, AccessControl access, Hooks hooks, Metrics metrics) {
    this.config = config;
    this.loops = loops;
    this.router = router;
    this.sessionStore = sessionStore;
    this.retainedStore = retainedStore;
    this.access = access;
    this.hooks = hooks;
    this.metrics = metrics;
    this.context = new SessionContext(config.maxInflight(), config.maxQueuedMessages(),
        config.maxOutboundBytes(), config.outboundTopicAliases(), metrics, hooks, router, sessionStore);
    this.byLoop = new ArrayList<>(loops.length);
    for (int i = 0; i < loops.length; i++) {
      byLoop.add(new HashMap<>());
    }
  }

  /** A handler for a newly accepted connection. */
  public ConnectionHandler newHandler() {
    return new ClientHandler(this);
  }

  public Metrics metrics() {
    return metrics;
  }

  BrokerConfig config() {
    return config;
  }

  Router router() {
    return router;
  }

  SessionStore sessionStore() {
    return sessionStore;
  }

  RetainedStore retainedStore() {
    return retainedStore;
  }

  AccessControl access() {
    return access;
  }

  Hooks hooks() {
    return hooks;
  }

  AtomicInteger connected() {
    return connected;
  }

  EventLoop loop(int index) {
    return loops[index];
  }

  EventLoop homeLoop(String clientId) {
    return loops[Math.floorMod(clientId.hashCode(), loops.length)];
  }

  /** The sessions whose home is this loop; that loop's thread only. */
  Map<String, Session> onLoop(int loopIndex) {
    return byLoop.get(loopIndex);
  }

  Session newSession(String clientId, long expirySeconds) {
    return new Session(clientId, homeLoop(clientId).index(), expirySeconds, context);
  }

  /**
   * A session's connection has closed: it ends now when its expiry interval is 0, or once the
   * interval has passed without a new connection. Home loop only.
   */
  void detached(Session session) {
    session.detach();
    if (!session.persistent()) {
      discard(session, SessionEndReason.CONNECTION_CLOSED);
      return;
    }
    session.releaseShared(false);
    // The time of the disconnect lets a restarted broker count the expiry from it.
    logFailure(sessionStore.putSession(session.clientId(), session.expirySeconds(), System.currentTimeMillis()),
        "store session", session.clientId());
    if (session.expirySeconds() != Session.NEVER_EXPIRES) {
      startExpiry(session, TimeUnit.SECONDS.toNanos(session.expirySeconds()));
    }
  }

  private void startExpiry(Session session, long delayNanos) {
    session.startExpiry(loops[session.loopIndex()].schedule(delayNanos, () -> expire(session)));
  }

  private void expire(Session session) {
    if (session.connection() == null && onLoop(session.loopIndex()).get(session.clientId()) == session) {
      log.debug("session of client '{}' expired", session.clientId());
      discard(session, SessionEndReason.EXPIRED);
    }
  }

  /**
   * Forgets a session: its subscriptions leave the router and, if persistent, the store; a will
   * still held for it is published, since the session ends [MQTT-3.1.2-8]; messages it holds for
   * share groups go to other members where allowed. Home loop only.
   */
  void discard(Session session, SessionEndReason reason) {
    Runnable will = session.takeWill();
    if (will != null) {
      will.run();
    }
    for (String filter : session.subscriptions().keySet()) {
      router.unsubscribe(filter, session);
    }
    session.releaseShared(true);
    session.markDiscarded();
    onLoop(session.loopIndex()).remove(session.clientId(), session);
    hooks.sessionEnded(session.clientId(), reason);
    if (session.persistent()) {
      logFailure(sessionStore.removeSession(session.clientId()), "remove session", session.clientId());
    }
  }

  /**
   * Routes a message published on a loop, once the interceptors have let it through: keeps it as
   * retained when flagged, then hands it to every matching subscriber. That loop's thread only.
   *
   * <p>When an interceptor decides asynchronously, the publishing connection is not read until the
   * decision is made, so that the client's messages and acknowledgements keep their order.
   *
   * @param client the client it is published for (its own message or its will), or null for the
   *     host application's
   * @param publisher the client connection it came from, to pause while a decision or another
   *     loop is pending; null for wills and the host application's messages
   * @param whenDecided called on this loop with the outcome when it is decided asynchronously;
   *     may be null when nobody waits for it
   * @return the outcome ({@link ReasonCode#SUCCESS}, or why an interceptor stopped it) when it
   *     was decided at once; null when {@code whenDecided} will be called
   */
  public ReasonCode publish(Message original, int loopIndex, ClientInfo client, Connection publisher,
      Consumer<ReasonCode> whenDecided) {
    PublishVerdict verdict = hooks.interceptsPublishes()
        ? hooks.interceptPublish(client, original) : null;
    Message message = verdict == null ? original : verdict.message();
    if (message == null || !hooks.decidesAsynchronously()) {
      if (message != null) {
        route(message, loopIndex, client, publisher);
      }
      return verdict == null ? ReasonCode.SUCCESS : verdict.reasonCode();
    }
    if (publisher != null) {
      publisher.pauseReading();
    }
    hooks.interceptAsync(client, message, loops[loopIndex]::executeCompletion, decided -> {
      if (decided.message() != null) {
        route(decided.message(), loopIndex, client, publisher);
      }
      // Acknowledge before reading on, so that acknowledgements keep the order of the publishes.
      if (whenDecided != null) {
        whenDecided.accept(decided.reasonCode());
      }
      if (publisher != null) {
        publisher.resumeReading();
      }
    });
    return null;
  }

  private void route(Message message, int loopIndex, ClientInfo client, Connection publisher) {
    hooks.published(client, message);
    metrics.messageIn();
    if (message.retain()) {
      retain(message);
    }
    router.dispatcher(loopIndex).publish(message, publisher);
  }

  /** Clears a topic's retained message, in the index and the store; returns whether there was one. Any thread. */
  public boolean clearRetained(String topic) {
    boolean removed = router.retained().remove(topic);
    if (removed) {
      logFailure(retainedStore.remove(topic), "remove retained message", topic);
    }
    return removed;
  }

  /**
   * Sets or clears a retained message, in the index and the store. The broker's own statistics
   * under {@code $SYS/} stay out of the store: they describe this run, and a restarted broker
   * publishes its own at once. Any loop.
   */
  private void retain(Message message) {
    boolean stored = !message.topic().startsWith(SYS_PREFIX);
    if (message.payload().length == 0) {
      router.retained().remove(message.topic());
      if (stored) {
        logFailure(retainedStore.remove(message.topic()), "remove retained message", message.topic());
      }
    } else {
      router.retained().put(message.topic(), message);
      if (stored) {
        logFailure(retainedStore.put(RestoredState.toStored(message)), "store retained message", message.topic());
      }
    }
  }

  /** Every session of one loop, as the admin API shows them. That loop's thread only. */
  public List<SessionInfo> describe(int loopIndex) {
    List<SessionInfo> infos = new ArrayList<>();
    for (Session session : onLoop(loopIndex).values()) {
      infos.add(session.describe());
    }
    return infos;
  }

  /** One session, if there is one. Its home loop's thread only. */
  public Optional<SessionInfo> describe(String clientId) {
    Session session = onLoop(homeLoop(clientId).index()).get(clientId);
    return session == null ? Optional.empty() : Optional.of(session.describe());
  }

  /** Closes a client's connection; returns whether it was connected. Its home loop's thread only. */
  public boolean disconnect(String clientId) {
    Session session = onLoop(homeLoop(clientId).index()).get(clientId);
    if (session == null || session.connection() == null) {
      return false;
    }
    session.connection().close(DisconnectReason.ADMINISTRATIVE, "disconnected through the admin API");
    return true;
  }

  /**
   * Sends a client to another server: DISCONNECT 0x9C or 0x9D with the Server Reference for MQTT
   * 5, a plain close for 3.1.1; returns whether it was connected. Its home loop's thread only.
   */
  public boolean redirect(String clientId, String serverReference, boolean permanent) {
    Session session = onLoop(homeLoop(clientId).index()).get(clientId);
    if (session == null || session.connection() == null || session.handler() == null) {
      return false;
    }
    session.handler().redirect(session.connection(), serverReference, permanent);
    return true;
  }

  /** Disconnects a client if connected and forgets its session. Its home loop's thread only. */
  public boolean remove(String clientId) {
    boolean wasConnected = disconnect(clientId);
    Session session = onLoop(homeLoop(clientId).index()).get(clientId);
    if (session != null) {
      discard(session, SessionEndReason.REMOVED);
      return true;
    }
    return wasConnected; // a clean session ends with its connection
  }

  public int connectedCount() {
    return connected.get();
  }

  /**
   * Restores retained messages and persistent sessions from the stores, with their subscriptions,
   * their queued and in-flight messages and the time their expiry has left; what expired while the broker was down is dropped from
   * the store instead. Runs before the loops start, so it may touch every loop's state; the
   * expiry timers are queued to the loops, which run them before any connection.
   */
  public void load() {
    long start = System.nanoTime();
    long now = System.currentTimeMillis();
    int retainedCount = 0;
    int expired = 0;
    for (RetainedMessage stored : await(retainedStore.loadAll(), "retained messages")) {
      Message message = RestoredState.toMessage(stored, now, start);
      if (message.expired(start)) {
        expired++;
        logFailure(retainedStore.remove(stored.topic()), "remove expired retained message", stored.topic());
      } else {
        router.retained().put(message.topic(), message);
        retainedCount++;
      }
    }
    List<List<Runnable>> expiryByLoop = new ArrayList<>();
    for (int i = 0; i < loops.length; i++) {
      expiryByLoop.add(new ArrayList<>());
    }
    int sessionCount = 0;
    int subscriptionCount = 0;
    int messageCount = 0;
    for (StoredSession stored : await(sessionStore.loadAll(), "sessions")) {
      long leftNanos = RestoredState.expiryLeftNanos(stored, now);
      if (leftNanos == 0) {
        expired++;
        logFailure(sessionStore.removeSession(stored.clientId()), "remove expired session", stored.clientId());
        continue;
      }
      Session session = newSession(stored.clientId(), stored.expiryInterval());
      for (StoredSubscription subscription : stored.subscriptions()) {
        int options = RestoredState.options(subscription);
        session.subscriptions().put(subscription.topicFilter(), options);
        router.subscribe(subscription.topicFilter(), session, options); // shared ones re-join their groups
        subscriptionCount++;
      }
      messageCount += session.restore(stored.messages(), now, start);
      onLoop(session.loopIndex()).put(session.clientId(), session);
      sessionCount++;
      if (leftNanos > 0) {
        expiryByLoop.get(session.loopIndex()).add(() -> {
          if (session.connection() == null) {
            startExpiry(session, leftNanos);
          }
        });
      }
    }
    for (int i = 0; i < loops.length; i++) {
      List<Runnable> timers = expiryByLoop.get(i);
      // Queued before the loop starts and before the listener opens, so it runs before any client
      // can attach to one of these sessions.
      if (!timers.isEmpty() && !loops[i].execute(() -> timers.forEach(Runnable::run))) {
        throw new IllegalStateException("cannot queue the expiry of restored sessions to event loop " + i);
      }
    }
    if (sessionCount > 0 || retainedCount > 0 || expired > 0) {
      log.info("restored {} sessions with {} subscriptions and {} messages, and {} retained messages in {} ms; {} "
          + "had expired", sessionCount, subscriptionCount, messageCount, retainedCount,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), expired);
    }
  }

  private static <T> T await(CompletionStage<T> stage, String what) {
    try {
      return stage.toCompletableFuture().get(LOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading " + what, e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot load " + what + " from the store", e);
    }
  }

  static void logFailure(CompletionStage<?> stage, String action, String subject) {
    stage.whenComplete((ignored, failure) -> {
      if (failure != null) {
        log.error("store failed to {} for {}", action, subject, failure);
      }
    });
  }
}
