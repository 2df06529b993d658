package io.tern.broker.core.session;

import io.tern.broker.client.ClientInfo;
import io.tern.broker.client.DisconnectReason;
import io.tern.broker.core.BrokerConfig;
import io.tern.broker.core.codec.ConnAck;
import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.Packet;
import io.tern.broker.core.codec.PacketType;
import io.tern.broker.core.codec.PingResp;
import io.tern.broker.core.codec.PubAck;
import io.tern.broker.core.codec.PubComp;
import io.tern.broker.core.codec.PubRec;
import io.tern.broker.core.codec.PubRel;
import io.tern.broker.core.codec.Publish;
import io.tern.broker.core.codec.SubAck;
import io.tern.broker.core.codec.Subscribe;
import io.tern.broker.core.codec.UnsubAck;
import io.tern.broker.core.codec.Unsubscribe;
import io.tern.broker.core.codec.Violation;
import io.tern.broker.core.delivery.Message;
import io.tern.broker.core.transport.Connection;
import io.tern.broker.core.transport.ConnectionHandler;
import io.tern.broker.core.transport.EventLoop;
import io.tern.broker.message.QoS;
import io.tern.broker.message.ReasonCode;
import io.tern.broker.spi.auth.AuthRequest;
import io.tern.broker.spi.auth.AuthResult;
import io.tern.broker.spi.store.StoredSubscription;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT 3.1/3.1.1 protocol for one connection: CONNECT, then the packets of a connected client,
 * until the connection closes. Runs on the connection's loop: the accepting loop until the CONNECT
 * is read, the client id's home loop from then on.
 */
final class ClientHandler implements ConnectionHandler {
  private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

  private enum State { AWAITING_CONNECT, CONNECTING, CONNECTED, CLOSED }

  private final Sessions sessions;
  private final BrokerConfig config;
  private State state = State.AWAITING_CONNECT;
  private String clientId = "";
  private Session session;
  private ClientInfo client;
  private Connect.Will will;
  private long keepAliveNanos;
  private boolean counted;

  ClientHandler(Sessions sessions) {
    this.sessions = sessions;
    this.config = sessions.config();
  }

  @Override
  public void onPacket(Connection connection, Packet packet) {
    if (state == State.AWAITING_CONNECT) {
      onConnect(connection, (Connect) packet); // the decoder admits nothing else first
      return;
    }
    if (state != State.CONNECTED) {
      return;
    }
    switch (packet.type()) {
      case PacketType.PUBLISH -> onPublish(connection, (Publish) packet);
      case PacketType.PUBACK -> session.onPubAck(((PubAck) packet).packetId());
      case PacketType.PUBREC -> session.onPubRec(((PubRec) packet).packetId());
      case PacketType.PUBREL -> onPubRel(connection, (PubRel) packet);
      case PacketType.PUBCOMP -> session.onPubComp(((PubComp) packet).packetId());
      case PacketType.SUBSCRIBE -> onSubscribe(connection, (Subscribe) packet);
      case PacketType.UNSUBSCRIBE -> onUnsubscribe(connection, (Unsubscribe) packet);
      case PacketType.PINGREQ -> connection.send(PingResp.INSTANCE);
      case PacketType.DISCONNECT -> onDisconnect(connection);
      default -> throw new IllegalStateException("the decoder let through " + packet);
    }
  }

  private void onConnect(Connection connection, Connect connect) {
    if (connect.protocolLevel() != 3 && connect.protocolLevel() != 4) {
      refuse(connection, ConnAck.UNACCEPTABLE_PROTOCOL_VERSION,
          "protocol level " + connect.protocolLevel() + " is not supported [MQTT-3.1.2-2]");
      return;
    }
    String id = connect.clientId();
    if (id.isEmpty()) {
      if (!connect.cleanSession() || connect.protocolLevel() == 3) {
        refuse(connection, ConnAck.IDENTIFIER_REJECTED, "empty client id without clean session [MQTT-3.1.3-8]");
        return;
      }
      id = "tern-" + UUID.randomUUID();
    }
    clientId = id;
    if (id.getBytes(StandardCharsets.UTF_8).length > config.maxClientIdLength()) {
      refuse(connection, ConnAck.IDENTIFIER_REJECTED, "client id longer than " + config.maxClientIdLength() + " bytes");
      return;
    }
    if (!reserveConnection()) {
      refuse(connection, ConnAck.SERVER_UNAVAILABLE, "the broker has " + config.maxConnections() + " connections");
      return;
    }
    will = connect.will();
    keepAliveNanos = TimeUnit.SECONDS.toNanos(connect.keepAliveSeconds()) * 3 / 2;
    InetSocketAddress remote = (InetSocketAddress) connection.remoteAddress();
    client = new ClientInfo(id, Optional.ofNullable(connect.username()), remote, connect.protocolLevel());
    state = State.CONNECTING;
    AccessControl access = sessions.access();
    if (!access.authenticates()) {
      goHome(connection, connect.cleanSession());
      return;
    }
    byte[] password = connect.password();
    CompletionStage<AuthResult> answer = access.authenticate(new AuthRequest(id, client.username(),
        Optional.ofNullable(password == null ? null : password.clone()), remote, connect.protocolLevel()));
    if (answer instanceof CompletableFuture<AuthResult> done && done.isDone() && !done.isCompletedExceptionally()) {
      onAuthenticated(connection, connect.cleanSession(), done.join(), null);
      return;
    }
    // Nothing more is read from this client until the authenticator has answered.
    connection.pauseReading();
    EventLoop loop = connection.loop();
    answer.whenComplete((result, failure) -> loop.executeCompletion(() -> {
      if (connection.isOpen()) {
        onAuthenticated(connection, connect.cleanSession(), result, failure);
        connection.resumeReading();
      }
    }));
  }

  private void onAuthenticated(Connection connection, boolean cleanSession, AuthResult result, Throwable failure) {
    if (failure != null || result == null) {
      log.warn("authenticator failed for client '{}'; refusing it", clientId, failure);
      sessions.hooks().authenticationFailed(clientId, client.remoteAddress(), ReasonCode.SERVER_UNAVAILABLE);
      refuse(connection, ConnAck.SERVER_UNAVAILABLE, "the authenticator failed");
    } else if (!result.allowed()) {
      sessions.hooks().authenticationFailed(clientId, client.remoteAddress(), result.reasonCode());
      refuse(connection, AccessControl.connackReturnCode(result.reasonCode()),
          "refused by the authenticator: " + result.reasonCode());
    } else {
      goHome(connection, cleanSession);
    }
  }

  private void goHome(Connection connection, boolean cleanSession) {
    connection.moveTo(sessions.homeLoop(clientId), () -> onArrivedHome(connection, cleanSession));
  }

  private boolean reserveConnection() {
    while (true) {
      int current = sessions.connected().get();
      if (current >= config.maxConnections()) {
        return false;
      }
      if (sessions.connected().compareAndSet(current, current + 1)) {
        counted = true;
        return true;
      }
    }
  }

  private void refuse(Connection connection, int returnCode, String why) {
    log.debug("refusing client '{}' from {}: {}", clientId, connection.remoteAddress(), why);
    state = State.CLOSED;
    connection.send(new ConnAck(false, returnCode));
    connection.closeAfterFlush();
  }

  private void onArrivedHome(Connection connection, boolean cleanSession) {
    if (!connection.isOpen()) {
      return;
    }
    Map<String, Session> local = sessions.onLoop(connection.loop().index());
    Session existing = local.get(clientId);
    if (existing != null && existing.connection() != null) {
      log.debug("client '{}' connected again from {}; closing its previous connection [MQTT-3.1.4-2]",
          clientId, connection.remoteAddress());
      existing.connection().close(DisconnectReason.TAKEN_OVER, "a new connection with the same client id");
      existing = local.get(clientId);
    }
    boolean sessionPresent = false;
    if (cleanSession) {
      if (existing != null) {
        sessions.discard(existing);
      }
      session = sessions.newSession(clientId, false);
    } else if (existing != null) {
      session = existing;
      sessionPresent = true;
    } else {
      session = sessions.newSession(clientId, true);
      Sessions.logFailure(sessions.sessionStore().createSession(clientId), "create session", clientId);
    }
    local.put(clientId, session);
    state = State.CONNECTED;
    if (sessionPresent) {
      sessions.hooks().sessionResumed(clientId);
    } else {
      sessions.hooks().sessionCreated(clientId, session.persistent());
    }
    sessions.hooks().connected(client, sessionPresent);
    connection.send(new ConnAck(sessionPresent, ConnAck.ACCEPTED));
    session.attach(connection, client);
  }

  private void onPublish(Connection connection, Publish publish) {
    Message message = Message.of(publish.topic(), publish.payload(), publish.qos(), publish.retain());
    if (!withinTopicLimits(message.topicUtf8(), publish.topic())) {
      log.debug("closing client '{}': topic name over the configured limits", clientId);
      connection.close(DisconnectReason.LIMIT_EXCEEDED, "topic name over the configured limits");
      return;
    }
    if (!sessions.access().mayPublish(client, publish.topic(), publish.qos(), publish.retain())) {
      // MQTT 3.1.1 cannot refuse a PUBLISH: acknowledge it as usual and deliver it to no one.
      log.debug("client '{}' may not publish to '{}'; dropped", clientId, publish.topic());
      acknowledge(connection, publish);
      return;
    }
    // Exactly once: a QoS 2 id stays known until PUBREL, so a resent PUBLISH is not routed again.
    if (publish.qos() == 2 && !session.inboundQos2().add(publish.packetId())) {
      acknowledge(connection, publish);
      return;
    }
    if (sessions.hooks().decidesAsynchronously()) {
      sessions.publish(message, connection.loop().index(), client, connection,
          () -> acknowledge(connection, publish));
    } else {
      sessions.publish(message, connection.loop().index(), client, connection, null);
      acknowledge(connection, publish);
    }
  }

  private static void acknowledge(Connection connection, Publish publish) {
    if (publish.qos() == 1) {
      connection.send(new PubAck(publish.packetId()));
    } else if (publish.qos() == 2) {
      connection.send(new PubRec(publish.packetId()));
    }
  }

  private void onPubRel(Connection connection, PubRel rel) {
    session.inboundQos2().remove(rel.packetId());
    connection.send(new PubComp(rel.packetId()));
  }

  private void onSubscribe(Connection connection, Subscribe subscribe) {
    int count = subscribe.requests().size();
    byte[] codes = new byte[count];
    Map<String, Integer> current = session.subscriptions();
    for (int i = 0; i < count; i++) {
      Subscribe.Request request = subscribe.requests().get(i);
      String filter = request.filter();
      boolean allowed = withinTopicLimits(filter.getBytes(StandardCharsets.UTF_8), filter)
          && (current.containsKey(filter) || current.size() < config.maxSubscriptionsPerClient());
      if (!allowed) {
        log.debug("client '{}' refused subscription to '{}': over the configured limits", clientId, filter);
        codes[i] = (byte) SubAck.FAILURE;
        continue;
      }
      if (!sessions.access().maySubscribe(client, filter, request.qos())) {
        log.debug("client '{}' may not subscribe to '{}'", clientId, filter);
        codes[i] = (byte) SubAck.FAILURE;
        continue;
      }
      int granted = sessions.hooks().interceptSubscribe(client, filter, Math.min(request.qos(), config.maxQos()));
      if (granted < 0) {
        log.debug("client '{}' subscription to '{}' refused by an interceptor", clientId, filter);
        codes[i] = (byte) SubAck.FAILURE;
        continue;
      }
      current.put(filter, granted);
      sessions.router().subscriptions().subscribe(filter, session, granted);
      if (session.persistent()) {
        Sessions.logFailure(sessions.sessionStore().putSubscription(clientId,
            new StoredSubscription(filter, QoS.of(granted))), "store subscription", clientId);
      }
      codes[i] = (byte) granted;
    }
    connection.send(new SubAck(subscribe.packetId(), codes));
    // Retained messages follow the SUBACK, also for a subscription that replaced an existing one.
    for (int i = 0; i < count; i++) {
      if (codes[i] != (byte) SubAck.FAILURE) {
        int granted = codes[i];
        sessions.router().retained().forEachMatching(subscribe.requests().get(i).filter(),
            retained -> session.deliver(retained, Math.min(retained.qos(), granted), true));
      }
    }
  }

  private void onUnsubscribe(Connection connection, Unsubscribe unsubscribe) {
    for (String filter : unsubscribe.filters()) {
      if (session.subscriptions().remove(filter) != null) {
        sessions.router().subscriptions().unsubscribe(filter, session);
        if (session.persistent()) {
          Sessions.logFailure(sessions.sessionStore().removeSubscription(clientId, filter),
              "remove subscription", clientId);
        }
      }
    }
    connection.send(new UnsubAck(unsubscribe.packetId()));
  }

  private void onDisconnect(Connection connection) {
    will = null; // [MQTT-3.14.4-3] a clean DISCONNECT discards the will
    connection.close(DisconnectReason.CLIENT_DISCONNECTED, null);
  }

  private boolean withinTopicLimits(byte[] utf8, String topic) {
    if (utf8.length > config.maxTopicLength()) {
      return false;
    }
    int levels = 1;
    for (int i = 0; i < topic.length(); i++) {
      if (topic.charAt(i) == '/' && ++levels > config.maxTopicLevels()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void onViolation(Connection connection, Violation violation) {
    log.debug("closing client '{}' from {}: {} [{}]", clientId, connection.remoteAddress(),
        violation.description(), violation.specId());
  }

  @Override
  public void onTick(Connection connection, long nowNanos) {
    if (state == State.AWAITING_CONNECT
        && nowNanos - connection.acceptedNanos() > config.connectTimeout().toNanos()) {
      connection.close(DisconnectReason.CONNECT_TIMEOUT, "no CONNECT within " + config.connectTimeout());
    } else if (state == State.CONNECTED && keepAliveNanos > 0
        && nowNanos - connection.lastReadNanos() > keepAliveNanos) {
      connection.close(DisconnectReason.KEEP_ALIVE_TIMEOUT,
          "nothing received for 1.5 times the keep-alive [MQTT-3.1.2-24]");
    }
  }

  @Override
  public void onClosed(Connection connection, DisconnectReason reason, String detail) {
    log.debug("connection of client '{}' from {} closed: {}{}", clientId, connection.remoteAddress(), reason,
        detail != null ? " (" + detail + ")" : "");
    if (counted) {
      counted = false;
      sessions.connected().decrementAndGet();
    }
    State previous = state;
    state = State.CLOSED;
    if (previous != State.CONNECTED) {
      return;
    }
    if (will != null) {
      publishWill(connection);
    }
    sessions.hooks().disconnected(client, reason);
    if (session.connection() == connection) {
      session.detach();
      if (!session.persistent()) {
        sessions.discard(session);
      }
    }
  }

  private void publishWill(Connection connection) {
    Message message = Message.of(will.topic(), will.payload(), will.qos(), will.retain());
    will = null;
    sessions.publish(message, connection.loop().index(), client, null, null);
  }
}
