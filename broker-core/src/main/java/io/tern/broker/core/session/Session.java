package io.tern.broker.core.session;

import io.tern.broker.admin.SessionInfo;
import io.tern.broker.client.ClientInfo;
import io.tern.broker.client.DisconnectReason;
import io.tern.broker.core.Metrics;
import io.tern.broker.core.codec.PubRel;
import io.tern.broker.core.delivery.Message;
import io.tern.broker.core.delivery.Subscriber;
import io.tern.broker.core.transport.Connection;
import io.tern.broker.hook.DropReason;
import io.tern.broker.message.QoS;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one client id: subscriptions, outbound messages in flight and queued, inbound QoS 2
 * packet ids. It lives on the client's home loop and is touched by that loop's thread only; it
 * outlives its connections when the session is persistent.
 */
final class Session implements Subscriber {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  private final String clientId;
  private final int loopIndex;
  private final boolean persistent;
  private final SessionContext context;
  private final Map<String, Integer> subscriptions = new LinkedHashMap<>();
  private final LinkedHashMap<Integer, Outgoing> inflight = new LinkedHashMap<>();
  private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
  private final Set<Integer> inboundQos2 = new HashSet<>();
  private Connection connection;
  private ClientInfo client;
  private boolean discarded;
  private boolean dropping;
  private int nextPacketId = 1;

  Session(String clientId, int loopIndex, boolean persistent, SessionContext context) {
    this.clientId = clientId;
    this.loopIndex = loopIndex;
    this.persistent = persistent;
    this.context = context;
  }

  String clientId() {
    return clientId;
  }

  boolean persistent() {
    return persistent;
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
    connection = null;
    inflight.clear();
    queue.clear();
  }

  @Override
  public void deliver(Message message, int qos) {
    deliver(message, qos, false);
  }

  /** Delivers a message: at once, or queued when the client is offline or its window is full. */
  void deliver(Message message, int qos, boolean retain) {
    if (discarded) {
      return;
    }
    if (qos == 0) {
      sendQos0(message, retain);
      return;
    }
    Outgoing outgoing = new Outgoing(message, qos, retain);
    if (connection != null && inflight.size() < context.maxInflight() && queue.isEmpty()) {
      sendNew(outgoing);
    } else {
      enqueue(outgoing);
    }
  }

  private void sendQos0(Message message, boolean retain) {
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
    connection.sendPublish(message.topicUtf8(), message.payload(), 0, retain, false, 0);
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
  }

  private void sendNew(Outgoing outgoing) {
    outgoing.packetId = allocatePacketId();
    inflight.put(outgoing.packetId, outgoing);
    send(outgoing, false);
    context.hooks().delivered(clientId, outgoing.message, outgoing.qos, outgoing.retain);
  }

  private void send(Outgoing outgoing, boolean dup) {
    Message message = outgoing.message;
    connection.sendPublish(message.topicUtf8(), message.payload(), outgoing.qos, outgoing.retain, dup,
        outgoing.packetId);
    checkSlowConsumer();
  }

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

  /** Binds a new connection, then resends what was in flight (with DUP) and what was queued. */
  void attach(Connection newConnection, ClientInfo newClient) {
    this.connection = newConnection;
    this.client = newClient;
    for (Outgoing outgoing : inflight.values()) {
      if (connection == null) {
        return;
      }
      if (outgoing.released) {
        connection.send(new PubRel(outgoing.packetId));
      } else {
        send(outgoing, true);
      }
    }
    drainQueue();
  }

  void detach() {
    connection = null;
    client = null;
  }

  /** What the admin API shows of this session. */
  SessionInfo describe() {
    Map<String, QoS> granted = new LinkedHashMap<>();
    subscriptions.forEach((filter, qos) -> granted.put(filter, QoS.of(qos)));
    return new SessionInfo(clientId, persistent, Optional.ofNullable(client), granted, inflight.size(), queue.size());
  }

  /** PUBACK from the client. */
  void onPubAck(int packetId) {
    Outgoing outgoing = inflight.get(packetId);
    if (outgoing != null && outgoing.qos == 1) {
      inflight.remove(packetId);
      context.hooks().acknowledged(clientId, outgoing.message, 1);
      drainQueue();
    }
  }

  /** PUBREC from the client; answers PUBREL. */
  void onPubRec(int packetId) {
    Outgoing outgoing = inflight.get(packetId);
    if (outgoing != null && outgoing.qos == 2) {
      outgoing.released = true;
    }
    // A PUBREL answers every PUBREC, even one for an id already completed.
    if (connection != null) {
      connection.send(new PubRel(packetId));
    }
  }

  /** PUBCOMP from the client. */
  void onPubComp(int packetId) {
    Outgoing outgoing = inflight.get(packetId);
    if (outgoing != null && outgoing.qos == 2 && outgoing.released) {
      inflight.remove(packetId);
      context.hooks().acknowledged(clientId, outgoing.message, 2);
      drainQueue();
    }
  }

  private void drainQueue() {
    while (connection != null && inflight.size() < context.maxInflight() && !queue.isEmpty()) {
      sendNew(queue.poll());
    }
    if (queue.isEmpty()) {
      dropping = false;
    }
  }
}
