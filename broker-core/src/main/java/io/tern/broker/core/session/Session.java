package io.tern.broker.core.session;

import io.tern.broker.admin.SessionInfo;
import io.tern.broker.client.ClientInfo;
import io.tern.broker.client.DisconnectReason;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.core.codec.PubRel;
import io.tern.broker.core.delivery.Message;
import io.tern.broker.core.delivery.SharedGroup;
import io.tern.broker.core.delivery.SharedRedirects;
import io.tern.broker.core.delivery.Subscriber;
import io.tern.broker.core.delivery.SubscriptionOptions;
import io.tern.broker.core.transport.Connection;
import io.tern.broker.core.transport.Timer;
import io.tern.broker.hook.DropReason;
import io.tern.broker.message.QoS;
import io.tern.broker.spi.store.StoredMessage;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one client id: subscriptions, outbound messages in flight and queued, inbound QoS 2
 * packet ids. It lives on the client's home loop and is touched by that loop's thread only; it
 * outlives its connections while its expiry interval runs.
 */
final class Session implements Subscriber {
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  private static final int[] NO_IDENTIFIERS = new int[0];
  /** The Session Expiry Interval that means "never": 0xFFFFFFFF seconds. */
  static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

  private final String clientId;
  private final int loopIndex;
  private final SessionContext context;
  /** Topic filter to its packed {@link SubscriptionOptions}, in the order subscribed. */
  private final Map<String, Integer> subscriptions = new LinkedHashMap<>();
  private final LinkedHashMap<Integer, Outgoing> inflight = new LinkedHashMap<>();
  private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
  /**
   * In-flight messages not yet resent on the current connection because its Receive Maximum is
   * smaller than what was in flight; they go out, in order, as acknowledgements free the window.
   */
  private final ArrayDeque<Outgoing> resends = new ArrayDeque<>();
  private final Set<Integer> inboundQos2 = new HashSet<>();
  /** Volatile, like {@link #online} and {@link #discarded}: share groups on other loops read it. */
  private volatile long expirySeconds;
  /** Whether a connection is attached; what share groups on other loops read of {@link #connection}. */
  private volatile boolean online;
  private Connection connection;
  /** The protocol handler of {@link #connection}, to close it with a reason of its own; null when detached. */
  private ClientHandler handler;
  private ClientInfo client;
  private boolean v5;
  private int window;
  private OutboundAliases aliases;
  private Timer expiry;
  private Timer willTimer;
  private Runnable pendingWill;
  private volatile boolean discarded;
  private boolean dropping;
  private int nextPacketId = 1;
  /** The store id of the next message kept for this session; increasing, so the store keeps their order. */
  private long nextMessageId = 1;

  /** @param expirySeconds the Session Expiry Interval: 0 ends it with its connection */
  Session(String clientId, int loopIndex, long expirySeconds, SessionContext context) {
    this.clientId = clientId;
    this.loopIndex = loopIndex;
    this.expirySeconds = expirySeconds;
    this.context = context;
  }

  @Override
  public String clientId() {
    return clientId;
  }

  /** Whether it outlives its connection (and is kept in the session store). */
  boolean persistent() {
    return expirySeconds > 0;
  }

  long expirySeconds() {
    return expirySeconds;
  }

  /** A new Session Expiry Interval, from a DISCONNECT; it may only become shorter-lived, not persistent. */
  void expirySeconds(long seconds) {
    expirySeconds = seconds;
  }

  @Override
  public int loopIndex() {
    return loopIndex;
  }

  Map<String, Integer> subscriptions() {
    return subscriptions;
  }

  Set<Integer> inboundQos2() {
    return inboundQos2;
  }

  Connection connection() {
    return connection;
  }

  void markDiscarded() {
    discarded = true;
    online = false;
    connection = null;
    inflight.clear();
    context.metrics().queued(-queue.size());
    queue.clear();
    resends.clear();
    cancelExpiry();
  }

  /** Keeps the timer that ends this session once its expiry interval has passed; attaching cancels it. */
  void startExpiry(Timer timer) {
    cancelExpiry();
    expiry = timer;
  }

  /**
   * Holds a will whose delay runs: published by {@code timer}, or at once when the session ends
   * first, and never if a client attaches first [MQTT-3.1.3-9].
   */
  void holdWill(Runnable publish, Timer timer) {
    pendingWill = publish;
    willTimer = timer;
  }

  /** The held will, handed over once and no longer held; null when there is none. */
  Runnable takeWill() {
    Runnable will = pendingWill;
    pendingWill = null;
    if (willTimer != null) {
      willTimer.cancel();
      willTimer = null;
    }
    return will;
  }

  private void cancelExpiry() {
    if (expiry != null) {
      expiry.cancel();
      expiry = null;
    }
  }

  @Override
  public boolean online() {
    return online;
  }

  @Override
  public boolean keepsMessages() {
    return !discarded && expirySeconds > 0;
  }

  @Override
  public void deliver(Message message, int options, int[] identifiers) {
    boolean retain = SubscriptionOptions.retainAsPublished(options) && message.retain();
    deliver(message, SubscriptionOptions.qos(options), retain, identifiersOf(options, identifiers), null);
  }

  /**
   * A message chosen for this member of a share group. When the client went offline after the
   * choice, a connected member takes it instead if there is one; when the session has ended, any
   * member that may take it does, or nobody.
   */
  @Override
  public void deliverShared(Message message, int options, SharedGroup group) {
    if (connection == null) {
      SharedRedirects redirects = context.redirects(loopIndex);
      if (redirects.offer(message, group, this, discarded)) {
        redirects.flush();
        return;
      }
    }
    boolean retain = SubscriptionOptions.retainAsPublished(options) && message.retain();
    deliver(message, SubscriptionOptions.qos(options), retain, identifiersOf(options, null), group);
  }

  /** Sends a retained message because of a new subscription: RETAIN stays set [MQTT-3.3.1-8]. */
  void deliverRetained(Message message, int options) {
    int qos = Math.min(message.qos(), SubscriptionOptions.qos(options));
    if (message.expired(System.nanoTime())) {
      // [MQTT-3.3.2-5] kept past its expiry; at QoS 0 nothing else would check, as it is sent at once
      context.metrics().droppedExpired();
      context.hooks().dropped(clientId, message, qos, DropReason.EXPIRED);
      return;
    }
    deliver(message, qos, true, identifiersOf(options, null), null);
  }

  /**
   * Gives up the messages of share groups that may go to another member: QoS 1 messages sent but
   * not acknowledged, and every queued message (MQTT 5.0 section 4.8.2 lets the server send a QoS
   * 1 message to another member once the connection is lost). QoS 2 messages already sent stay:
   * their delivery completes with this session or not at all [MQTT-4.8.2-4] [MQTT-4.8.2-5].
   * Home loop only; the client is offline.
   *
   * @param ending the session is ending: a member that is offline but keeps messages may take them
   *     when none is connected, and what nobody takes is lost with the session. Otherwise only
   *     connected members take them, and the rest stays here for the client's return.
   */
  void releaseShared(boolean ending) {
    SharedRedirects redirects = context.redirects(loopIndex);
    boolean moved = false;
    for (Iterator<Outgoing> it = inflight.values().iterator(); it.hasNext(); ) {
      Outgoing outgoing = it.next();
      if (outgoing.group != null && outgoing.qos == 1
          && redirects.offer(outgoing.message, outgoing.group, this, ending)) {
        it.remove();
        resends.remove(outgoing); // held back for a resend that will not happen now
        forget(outgoing); // the member that takes it keeps it, if it keeps messages
        moved = true;
      }
    }
    for (Iterator<Outgoing> it = queue.iterator(); it.hasNext(); ) {
      Outgoing outgoing = it.next();
      if (outgoing.group != null && redirects.offer(outgoing.message, outgoing.group, this, ending)) {
        it.remove();
        context.metrics().queued(-1);
        forget(outgoing);
        moved = true;
      }
    }
    if (moved) {
      redirects.flush();
    }
  }

  private static int[] identifiersOf(int options, int[] identifiers) {
    if (identifiers != null) {
      return identifiers;
    }
    int id = SubscriptionOptions.identifier(options);
    return id == 0 ? NO_IDENTIFIERS : new int[] {id};
  }

  /**
   * Delivers a message: at once, or queued when the client is offline or its window is full.
   *
   * @param group the share group it came through; null for the session's own subscriptions
   */
  private void deliver(Message message, int qos, boolean retain, int[] identifiers, SharedGroup group) {
    if (discarded) {
      return;
    }
    if (qos == 0) {
      sendQos0(message, retain, identifiers);
      return;
    }
    Outgoing outgoing = new Outgoing(message, qos, retain, identifiers, group);
    if (connection != null && inflight.size() < window && queue.isEmpty() && resends.isEmpty()) {
      sendNew(outgoing, false); // onward delivery starts now, so even an expiry of 0 lets it through
    } else {
      enqueue(outgoing);
    }
  }

  private void sendQos0(Message message, boolean retain, int[] identifiers) {
    if (connection == null) {
      // QoS 0 is not kept for offline clients.
      context.hooks().dropped(clientId, message, 0, DropReason.CLIENT_OFFLINE);
      return;
    }
    if (connection.pendingOutboundBytes() > context.maxOutboundBytes() / 2) {
      context.metrics().droppedQos0();
      context.hooks().dropped(clientId, message, 0, DropReason.CLIENT_NOT_READING);
      return;
    }
    if (!write(message, 0, retain, false, 0, identifiers)) {
      context.hooks().dropped(clientId, message, 0, DropReason.TOO_LARGE_FOR_CLIENT);
      return;
    }
    context.hooks().delivered(clientId, message, 0, retain);
    checkSlowConsumer();
  }

  private void enqueue(Outgoing outgoing) {
    if (queue.size() >= context.maxQueuedMessages()) {
      context.metrics().droppedQueueFull();
      context.hooks().dropped(clientId, outgoing.message, outgoing.qos, DropReason.QUEUE_FULL);
      if (!dropping) {
        dropping = true;
        log.warn("session {} holds {} queued messages; dropping further QoS 1/2 messages until it drains",
            clientId, queue.size());
      }
      return;
    }
    queue.add(outgoing);
    context.metrics().queued(1);
    keep(outgoing);
  }

  /**
   * Stores a message bound for a persistent session, so that it outlives a restart; queued, or sent
   * with its packet id. Nothing waits for the store: its stage is only checked for failure.
   */
  private void keep(Outgoing outgoing) {
    if (expirySeconds == 0 || discarded) {
      return;
    }
    outgoing.storeId = nextMessageId++;
    Sessions.logFailure(context.store().putMessage(clientId, RestoredState.toStored(outgoing)), "store message",
        clientId);
  }

  /** The stored message was sent with its packet id, which it keeps after a restart. */
  private void sent(Outgoing outgoing) {
    if (outgoing.storeId == 0) {
      keep(outgoing);
    } else {
      Sessions.logFailure(context.store().messageSent(clientId, outgoing.storeId, outgoing.packetId),
          "store message sent", clientId);
    }
  }

  /** The message no longer needs keeping: acknowledged, expired, dropped or handed over. */
  private void forget(Outgoing outgoing) {
    if (outgoing.storeId != 0) {
      Sessions.logFailure(context.store().removeMessage(clientId, outgoing.storeId), "remove message", clientId);
      outgoing.storeId = 0;
    }
  }

  /** @param waited whether it waited in the queue, where its expiry interval may have passed */
  private void sendNew(Outgoing outgoing, boolean waited) {
    if (waited && outgoing.message.expired(System.nanoTime())) {
      // [MQTT-3.3.2-5] not delivered once its expiry interval has passed
      context.metrics().droppedExpired();
      context.hooks().dropped(clientId, outgoing.message, outgoing.qos, DropReason.EXPIRED);
      forget(outgoing);
      return;
    }
    outgoing.packetId = allocatePacketId();
    if (!send(outgoing, false)) {
      // [MQTT-3.1.2-25] too large for the client: discarded as if delivered
      context.hooks().dropped(clientId, outgoing.message, outgoing.qos, DropReason.TOO_LARGE_FOR_CLIENT);
      forget(outgoing);
      return;
    }
    inflight.put(outgoing.packetId, outgoing);
    sent(outgoing);
    context.hooks().delivered(clientId, outgoing.message, outgoing.qos, outgoing.retain);
    checkSlowConsumer();
  }

  private boolean send(Outgoing outgoing, boolean dup) {
    return write(outgoing.message, outgoing.qos, outgoing.retain, dup, outgoing.packetId, outgoing.identifiers);
  }

  /** Encodes a PUBLISH for this client: MQTT 5 properties and topic aliases when it speaks MQTT 5. */
  private boolean write(Message message, int qos, boolean retain, boolean dup, int packetId, int[] identifiers) {
    if (!v5) {
      return connection.sendPublish(message.topicUtf8(), message.payload(), qos, retain, dup, packetId,
          Properties.EMPTY);
    }
    Properties properties = message.propertiesAt(System.nanoTime());
    String topic = message.topic();
    int alias = aliases.known(topic);
    boolean newAlias = false;
    if (alias == 0) {
      alias = aliases.free();
      newAlias = alias != 0;
    }
    if (identifiers.length > 0 || alias != 0) {
      Properties.Builder builder = properties.toBuilder();
      for (int id : identifiers) {
        builder.subscriptionIdentifier(id);
      }
      if (alias != 0) {
        builder.topicAlias(alias);
      }
      properties = builder.build();
    }
    // A known alias stands for the topic, which is then left empty.
    byte[] topicUtf8 = alias != 0 && !newAlias ? EMPTY_TOPIC : message.topicUtf8();
    boolean sent = connection.sendPublish(topicUtf8, message.payload(), qos, retain, dup, packetId, properties);
    if (sent && newAlias) {
      aliases.assign(topic, alias);
    }
    return sent;
  }

  private static final byte[] EMPTY_TOPIC = new byte[0];

  private void checkSlowConsumer() {
    if (connection != null && connection.pendingOutboundBytes() > context.maxOutboundBytes()) {
      context.metrics().slowConsumer();
      connection.close(DisconnectReason.SLOW_CONSUMER, connection.pendingOutboundBytes() + " bytes unread");
    }
  }

  private int allocatePacketId() {
    while (true) {
      int id = nextPacketId;
      nextPacketId = id == 65_535 ? 1 : id + 1;
      if (!inflight.containsKey(id)) {
        return id;
      }
    }
  }

  /**
   * Takes back the messages a restarted broker found stored for this session, in their order:
   * those sent before the restart stay in flight under their packet ids and go out again with DUP
   * when the client attaches [MQTT-4.4.0-1]; the others are queued. Those whose Message Expiry
   * Interval has passed are dropped from the store. Before the loops start.
   *
   * @return how many it took back
   */
  int restore(List<StoredMessage> stored, long nowMillis, long nowNanos) {
    int restored = 0;
    for (StoredMessage m : stored) {
      Outgoing outgoing = RestoredState.toOutgoing(clientId, m, nowMillis, nowNanos);
      nextMessageId = Math.max(nextMessageId, m.messageId() + 1);
      if (outgoing.message.expired(nowNanos)) {
        Sessions.logFailure(context.store().removeMessage(clientId, m.messageId()), "remove expired message",
            clientId);
        continue;
      }
      if (m.packetId() != 0 && !inflight.containsKey(m.packetId())) {
        outgoing.packetId = m.packetId();
        inflight.put(outgoing.packetId, outgoing);
        nextPacketId = outgoing.packetId == 65_535 ? 1 : outgoing.packetId + 1;
      } else {
        queue.add(outgoing);
        context.metrics().queued(1);
      }
      restored++;
    }
    return restored;
  }

  /**
   * Binds a new connection, then resends what was in flight (with DUP) and what was queued.
   *
   * @param receiveMaximum how many QoS 1 and 2 messages the client takes unacknowledged
   * @param topicAliasMaximum the client's Topic Alias Maximum; 0 below MQTT 5
   */
  void attach(Connection newConnection, ClientInfo newClient, int receiveMaximum, int topicAliasMaximum) {
    cancelExpiry();
    takeWill();
    this.connection = newConnection;
    this.online = true;
    this.client = newClient;
    this.v5 = newConnection.protocolLevel() == 5;
    this.window = Math.min(context.maxInflight(), receiveMaximum);
    this.aliases = new OutboundAliases(Math.min(topicAliasMaximum, context.outboundTopicAliases()));
    resends.clear();
    int outstanding = 0;
    for (Outgoing outgoing : inflight.values().toArray(new Outgoing[0])) {
      if (connection == null) {
        return;
      }
      if (outgoing.released) {
        // A PUBREL is never held back [MQTT-3.3.4-10], though its message still takes a place.
        connection.send(new PubRel(outgoing.packetId));
        outstanding++;
      } else if (outstanding >= window) {
        resends.add(outgoing); // [MQTT-3.3.4-9] also when the new Receive Maximum is smaller
      } else if (resend(outgoing)) {
        outstanding++;
      }
    }
    drainQueue();
  }

  /** Sends an in-flight message again, with DUP; false when it was dropped as too large for the client. */
  private boolean resend(Outgoing outgoing) {
    if (outgoing.released) {
      connection.send(new PubRel(outgoing.packetId));
      return true;
    }
    if (!send(outgoing, true)) {
      finish(outgoing);
      return false;
    }
    checkSlowConsumer();
    return true;
  }

  /** Ends an exchange: the message leaves the in-flight window. */
  private void finish(Outgoing outgoing) {
    inflight.remove(outgoing.packetId);
    forget(outgoing);
    if (!resends.isEmpty()) {
      resends.remove(outgoing); // acknowledged before it was resent on this connection
    }
  }

  void detach() {
    connection = null;
    online = false;
    handler = null;
    client = null;
  }

  /** The handler of the connection about to be attached. */
  void handledBy(ClientHandler connectionHandler) {
    handler = connectionHandler;
  }

  ClientHandler handler() {
    return handler;
  }

  /** What the admin API shows of this session. */
  SessionInfo describe() {
    Map<String, QoS> granted = new LinkedHashMap<>();
    subscriptions.forEach((filter, options) -> granted.put(filter, QoS.of(SubscriptionOptions.qos(options))));
    return new SessionInfo(clientId, persistent(), Optional.ofNullable(client), granted, inflight.size(),
        queue.size());
  }

  /** PUBACK from the client, whatever its reason code: the QoS 1 exchange ends. */
  void onPubAck(int packetId) {
    Outgoing outgoing = inflight.get(packetId);
    if (outgoing != null && outgoing.qos == 1) {
      finish(outgoing);
      context.hooks().acknowledged(clientId, outgoing.message, 1);
      drainQueue();
    }
  }

  /**
   * PUBREC from the client. A success is answered with PUBREL; an MQTT 5 error code ends the
   * exchange there.
   *
   * @return whether the packet id was in flight
   */
  boolean onPubRec(int packetId, boolean failed) {
    Outgoing outgoing = inflight.get(packetId);
    boolean known = outgoing != null && outgoing.qos == 2;
    if (known && failed) {
      finish(outgoing);
      drainQueue();
      return true;
    }
    if (known) {
      outgoing.released = true;
    }
    return known;
  }

  /** PUBCOMP from the client. */
  void onPubComp(int packetId) {
    Outgoing outgoing = inflight.get(packetId);
    if (outgoing != null && outgoing.qos == 2 && outgoing.released) {
      finish(outgoing);
      context.hooks().acknowledged(clientId, outgoing.message, 2);
      drainQueue();
    }
  }

  private void drainQueue() {
    // Held-back resends go first, in their order, before anything new [MQTT-4.6.0-6].
    while (connection != null && !resends.isEmpty() && inflight.size() - resends.size() < window) {
      resend(resends.poll());
    }
    while (connection != null && resends.isEmpty() && inflight.size() < window && !queue.isEmpty()) {
      context.metrics().queued(-1);
      sendNew(queue.poll(), true);
    }
    if (queue.isEmpty()) {
      dropping = false;
    }
  }
}
