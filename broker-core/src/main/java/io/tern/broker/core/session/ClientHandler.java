package io.tern.broker.core.session;

import io.tern.broker.client.ClientInfo;
import io.tern.broker.client.DisconnectReason;
import io.tern.broker.core.BrokerConfig;
import io.tern.broker.core.codec.Auth;
import io.tern.broker.core.codec.ConnAck;
import io.tern.broker.core.codec.Connect;
import io.tern.broker.core.codec.Disconnect;
import io.tern.broker.core.codec.MqttEncoder;
import io.tern.broker.core.codec.Packet;
import io.tern.broker.core.codec.PacketType;
import io.tern.broker.core.codec.PayloadFormat;
import io.tern.broker.core.codec.PingResp;
import io.tern.broker.core.codec.Properties;
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
import io.tern.broker.core.delivery.SubscriptionOptions;
import io.tern.broker.core.routing.SharedFilter;
import io.tern.broker.core.transport.Connection;
import io.tern.broker.core.transport.ConnectionHandler;
import io.tern.broker.core.transport.EventLoop;
import io.tern.broker.hook.SessionEndReason;
import io.tern.broker.message.QoS;
import io.tern.broker.message.ReasonCode;
import io.tern.broker.spi.auth.AuthRequest;
import io.tern.broker.spi.auth.AuthResult;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT 3.1, 3.1.1 and 5 protocol for one connection: CONNECT, then the packets of a connected
 * client, until the connection closes. Runs on the connection's loop: the accepting loop until the
 * CONNECT is read, the client id's home loop from then on.
 */
final class ClientHandler implements ConnectionHandler {
  private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

  /**
   * CONNECTING: the authenticator decides, or the connection moves to its home loop.
   * AUTHENTICATING: during the CONNECT's enhanced authentication, the broker sent AUTH 0x18 and
   * waits for the client's AUTH.
   */
  private enum State { AWAITING_CONNECT, CONNECTING, AUTHENTICATING, CONNECTED, CLOSED }

  /** What to do with an authenticator's answer (or failure), on the connection's loop. */
  @FunctionalInterface
  private interface Decision {
    void on(Connection connection, AuthResult result, Throwable failure);
  }

  private final Sessions sessions;
  private final BrokerConfig config;
  private State state = State.AWAITING_CONNECT;
  private String clientId = "";
  private Session session;
  private ClientInfo client;
  private Connect.Will will;
  private Negotiation negotiated;
  private InboundAliases aliases;
  /** The enhanced authentication, when the CONNECT named an Authentication Method; else null. */
  private AuthExchange exchange;
  private boolean cleanStart;
  /** The client id the broker assigned, to name in CONNACK; null when the client chose its own. */
  private String assignedId;
  private long keepAliveNanos;
  private boolean counted;
  private boolean v5;
  /** An MQTT 5 DISCONNECT has been sent: nothing more goes to the client. */
  private boolean disconnectSent;

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
    if (state == State.AUTHENTICATING) {
      onPacketWhileAuthenticating(connection, packet);
      return;
    }
    if (state != State.CONNECTED) {
      return;
    }
    switch (packet.type()) {
      case PacketType.PUBLISH -> onPublish(connection, (Publish) packet);
      case PacketType.PUBACK -> session.onPubAck(((PubAck) packet).packetId());
      case PacketType.PUBREC -> onPubRec(connection, (PubRec) packet);
      case PacketType.PUBREL -> onPubRel(connection, (PubRel) packet);
      case PacketType.PUBCOMP -> session.onPubComp(((PubComp) packet).packetId());
      case PacketType.SUBSCRIBE -> onSubscribe(connection, (Subscribe) packet);
      case PacketType.UNSUBSCRIBE -> onUnsubscribe(connection, (Unsubscribe) packet);
      case PacketType.PINGREQ -> connection.send(PingResp.INSTANCE);
      case PacketType.DISCONNECT -> onDisconnect(connection, (Disconnect) packet);
      case PacketType.AUTH -> onAuth(connection, (Auth) packet);
      default -> throw new IllegalStateException("the decoder let through " + packet);
    }
  }

  private void onConnect(Connection connection, Connect connect) {
    int level = connect.protocolLevel();
    if (level != 3 && level != 4 && level != 5) {
      refuse(connection, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
          "protocol level " + level + " is not supported [MQTT-3.1.2-2]");
      return;
    }
    v5 = level == 5;
    String id = connect.clientId();
    String assigned = null;
    if (id.isEmpty()) {
      // MQTT 5 assigns an id whatever Clean Start says; 3.1.1 only with a clean session.
      if (!v5 && (!connect.cleanSession() || level == 3)) {
        refuse(connection, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "empty client id without clean session [MQTT-3.1.3-8]");
        return;
      }
      id = "tern-" + UUID.randomUUID();
      assigned = v5 ? id : null;
    }
    clientId = id;
    if (id.getBytes(StandardCharsets.UTF_8).length > config.maxClientIdLength()) {
      refuse(connection, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
          "client id longer than " + config.maxClientIdLength() + " bytes");
      return;
    }
    InetSocketAddress remote = (InetSocketAddress) connection.remoteAddress();
    AccessControl access = sessions.access();
    String method = v5 ? connect.properties().authenticationMethod() : null;
    if (method != null && !access.supportsMethod(method)) {
      sessions.hooks().authenticationFailed(id, remote, ReasonCode.BAD_AUTHENTICATION_METHOD);
      refuse(connection, ReasonCode.BAD_AUTHENTICATION_METHOD,
          "authentication method '" + method + "' is not supported [MQTT-4.12.0-1]");
      return;
    }
    if (v5 && connect.will() != null && connect.will().qos() > config.maxQos()) {
      // The CONNACK's Maximum QoS would be broken by the will, so the client cannot connect with it.
      refuse(connection, ReasonCode.QOS_NOT_SUPPORTED,
          "will QoS " + connect.will().qos() + " above the maximum QoS " + config.maxQos() + " [MQTT-3.2.2-12]");
      return;
    }
    if (!reserveConnection()) {
      refuse(connection, v5 ? ReasonCode.QUOTA_EXCEEDED : ReasonCode.SERVER_UNAVAILABLE,
          "the broker has " + config.maxConnections() + " connections");
      return;
    }
    will = connect.will();
    negotiated = Negotiation.of(connect, config);
    keepAliveNanos = TimeUnit.SECONDS.toNanos(negotiated.keepAliveSeconds()) * 3 / 2;
    connection.maxOutboundPacketSize(negotiated.maxPacketSize());
    aliases = v5 ? new InboundAliases(config.topicAliasMaximum()) : null;
    client = new ClientInfo(id, Optional.ofNullable(connect.username()), remote, level);
    cleanStart = connect.cleanSession();
    assignedId = assigned;
    state = State.CONNECTING;
    if (!access.authenticates()) {
      goHome(connection);
      return;
    }
    exchange = method == null ? null : new AuthExchange(method);
    byte[] password = connect.password();
    AuthRequest request = new AuthRequest(id, client.username(),
        Optional.ofNullable(password == null ? null : password.clone()), remote, level, Optional.ofNullable(method),
        Optional.ofNullable(method == null ? null : connect.properties().authenticationData()), false);
    decide(connection, access.authenticate(request), true, this::onConnectDecision);
  }

  /**
   * Acts on an authenticator's answer on the connection's loop: at once when it is already there,
   * otherwise once it arrives. While a connecting client's answer is pending ({@code pause}),
   * nothing more is read from it, so that its later packets wait for the decision.
   */
  private void decide(Connection connection, CompletionStage<AuthResult> answer, boolean pause, Decision then) {
    if (answer instanceof CompletableFuture<AuthResult> done && done.isDone() && !done.isCompletedExceptionally()) {
      then.on(connection, done.join(), null);
      return;
    }
    if (pause) {
      connection.pauseReading();
    }
    EventLoop loop = connection.loop();
    answer.whenComplete((result, failure) -> loop.executeCompletion(() -> {
      if (connection.isOpen()) {
        then.on(connection, result, failure);
        if (pause) {
          connection.resumeReading();
        }
      }
    }));
  }

  /** The authenticator answered a step of the CONNECT's authentication. */
  private void onConnectDecision(Connection connection, AuthResult result, Throwable failure) {
    if (failure != null || result == null) {
      authenticatorFailed(connection, failure, "failed");
    } else if (result.continues()) {
      Auth challenge = exchange == null ? null : exchange.challenge(result, System.nanoTime());
      if (challenge == null) {
        authenticatorFailed(connection, null, exchange == null
            ? "continued an authentication the client did not start" : "sent a challenge over 65,535 bytes");
      } else if (!connection.send(challenge)) {
        authenticatorFailed(connection, null, "sent a challenge larger than the client accepts");
      } else {
        state = State.AUTHENTICATING;
      }
    } else if (result.allowed()) {
      if (exchange != null && !exchange.succeeded(result)) {
        authenticatorFailed(connection, null, "sent final authentication data over 65,535 bytes");
        return;
      }
      goHome(connection);
    } else {
      Properties properties = redirection(result);
      if (properties == null) {
        authenticatorFailed(connection, null, "redirected to a server reference that is not a valid MQTT string");
        return;
      }
      ReasonCode code = ConnAck.carries(result.reasonCode()) ? result.reasonCode() : ReasonCode.NOT_AUTHORIZED;
      sessions.hooks().authenticationFailed(clientId, client.remoteAddress(), result.reasonCode());
      refuse(connection, code, properties, "refused by the authenticator: " + result.reasonCode()
          + result.serverReference().map(reference -> " to '" + reference + "'").orElse(""));
    }
  }

  private void authenticatorFailed(Connection connection, Throwable failure, String what) {
    log.warn("authenticator {} for client '{}'; refusing it", what, clientId, failure);
    sessions.hooks().authenticationFailed(clientId, client.remoteAddress(), ReasonCode.SERVER_UNAVAILABLE);
    if (state == State.CONNECTED) {
      disconnect(connection, ReasonCode.SERVER_BUSY, Properties.EMPTY, DisconnectReason.REFUSED,
          "the authenticator " + what + " during re-authentication");
    } else {
      refuse(connection, ReasonCode.SERVER_UNAVAILABLE, "the authenticator " + what);
    }
  }

  /**
   * The Server Reference of a redirecting answer, as properties for CONNACK or DISCONNECT;
   * {@link Properties#EMPTY} for other answers, null when the reference cannot be sent.
   */
  private static Properties redirection(AuthResult result) {
    if (result.serverReference().isEmpty()) {
      return Properties.EMPTY;
    }
    String reference = result.serverReference().get();
    return Properties.isSendable(reference) ? Properties.builder().serverReference(reference).build() : null;
  }

  /**
   * A packet during the CONNECT's enhanced authentication, after the broker's challenge: only
   * the client's AUTH answering it, or DISCONNECT, may come [MQTT-3.1.2-30].
   */
  private void onPacketWhileAuthenticating(Connection connection, Packet packet) {
    if (packet.type() == PacketType.DISCONNECT) {
      connection.close(DisconnectReason.CLIENT_DISCONNECTED, "during authentication");
      return;
    }
    if (packet.type() != PacketType.AUTH) {
      refuse(connection, ReasonCode.PROTOCOL_ERROR,
          "packet type " + packet.type() + " before CONNACK during enhanced authentication [MQTT-3.1.2-30]");
      return;
    }
    Auth auth = (Auth) packet;
    String problem = exchange.problemWith(auth);
    if (problem != null) {
      refuse(connection, ReasonCode.PROTOCOL_ERROR, problem);
      return;
    }
    state = State.CONNECTING;
    decide(connection, sessions.access().continueAuthentication(exchange.answer(auth, clientId, client.remoteAddress())),
        true, this::onConnectDecision);
  }

  /**
   * An AUTH after CONNACK: a re-authentication step. The client's other packets keep flowing
   * while the authenticator decides [MQTT-4.12.1-1 and the text around it].
   */
  private void onAuth(Connection connection, Auth auth) {
    if (exchange == null) {
      disconnect(connection, ReasonCode.PROTOCOL_ERROR,
          "AUTH from a client whose CONNECT named no authentication method [MQTT-4.12.0-7]");
      return;
    }
    String problem = exchange.problemWith(auth);
    if (problem != null) {
      disconnect(connection, ReasonCode.PROTOCOL_ERROR, problem);
      return;
    }
    AccessControl access = sessions.access();
    CompletionStage<AuthResult> answer;
    if (auth.reasonCode() == ReasonCode.RE_AUTHENTICATE) {
      exchange.startReauthentication();
      answer = access.authenticate(new AuthRequest(clientId, client.username(), Optional.empty(),
          client.remoteAddress(), 5, Optional.of(exchange.method()),
          Optional.ofNullable(auth.properties().authenticationData()), true));
    } else {
      answer = access.continueAuthentication(exchange.answer(auth, clientId, client.remoteAddress()));
    }
    decide(connection, answer, false, this::onReauthDecision);
  }

  /** The authenticator answered a step of a re-authentication. */
  private void onReauthDecision(Connection connection, AuthResult result, Throwable failure) {
    if (state != State.CONNECTED) {
      return;
    }
    if (failure != null || result == null) {
      authenticatorFailed(connection, failure, "failed");
    } else if (result.continues()) {
      Auth challenge = exchange.challenge(result, System.nanoTime());
      if (challenge == null) {
        authenticatorFailed(connection, null, "sent a challenge over 65,535 bytes");
      } else if (!connection.send(challenge)) {
        authenticatorFailed(connection, null, "sent a challenge larger than the client accepts");
      }
    } else if (result.allowed()) {
      if (!exchange.succeeded(result)) {
        authenticatorFailed(connection, null, "sent final authentication data over 65,535 bytes");
      } else if (!connection.send(exchange.reauthenticated())) {
        authenticatorFailed(connection, null, "sent final authentication data larger than the client accepts");
      }
    } else {
      Properties properties = redirection(result);
      if (properties == null) {
        authenticatorFailed(connection, null, "redirected to a server reference that is not a valid MQTT string");
        return;
      }
      sessions.hooks().authenticationFailed(clientId, client.remoteAddress(), result.reasonCode());
      // DISCONNECT cannot carry every CONNACK refusal, such as 0x86 Bad user name or password.
      ReasonCode code = Disconnect.carries(result.reasonCode()) ? result.reasonCode() : ReasonCode.NOT_AUTHORIZED;
      disconnect(connection, code, properties, DisconnectReason.REFUSED,
          "re-authentication refused by the authenticator: " + result.reasonCode() + " [MQTT-4.12.1-2]");
    }
  }

  /**
   * Sends the client to another server through the admin API: DISCONNECT 0x9C or 0x9D with the
   * Server Reference for MQTT 5, a plain close for 3.1.1.
   */
  void redirect(Connection connection, String serverReference, boolean permanent) {
    Properties properties = Properties.builder().serverReference(serverReference).build();
    disconnect(connection, permanent ? ReasonCode.SERVER_MOVED : ReasonCode.USE_ANOTHER_SERVER, properties,
        DisconnectReason.ADMINISTRATIVE, "redirected to '" + serverReference + "' through the admin API");
  }

  private void goHome(Connection connection) {
    connection.moveTo(sessions.homeLoop(clientId), () -> onArrivedHome(connection));
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

  /** Refuses the CONNECT: MQTT 5 hears the reason code, 3.1.1 the nearest return code. */
  private void refuse(Connection connection, ReasonCode reason, String why) {
    refuse(connection, reason, Properties.EMPTY, why);
  }

  /** @param properties for MQTT 5 only, such as a Server Reference */
  private void refuse(Connection connection, ReasonCode reason, Properties properties, String why) {
    log.debug("refusing client '{}' from {}: {}", clientId, connection.remoteAddress(), why);
    state = State.CLOSED;
    connection.send(connection.protocolLevel() == 5
        ? new ConnAck(false, reason, properties)
        : new ConnAck(false, AccessControl.connackReturnCode(reason)));
    connection.closeAfterFlush();
  }

  private void onArrivedHome(Connection connection) {
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
    long expiry = negotiated.sessionExpirySeconds();
    if (cleanStart && existing != null) {
      sessions.discard(existing, SessionEndReason.CLEAN_START);
      existing = null;
    }
    if (existing != null) {
      session = existing;
      session.expirySeconds(expiry);
      sessionPresent = true;
      if (!session.persistent()) {
        Sessions.logFailure(sessions.sessionStore().removeSession(clientId), "remove session", clientId);
      }
    } else {
      session = sessions.newSession(clientId, expiry);
    }
    if (session.persistent()) {
      // Also for a resumed session: the new CONNECT may bring another expiry interval.
      Sessions.logFailure(sessions.sessionStore().putSession(clientId, expiry, 0), "store session", clientId);
    }
    local.put(clientId, session);
    state = State.CONNECTED;
    session.handledBy(this);
    if (sessionPresent) {
      sessions.hooks().sessionResumed(clientId);
    } else {
      sessions.hooks().sessionCreated(clientId, session.persistent());
    }
    sessions.hooks().connected(client, sessionPresent);
    if (v5) {
      connection.send(connAck(sessionPresent, assignedId, true));
    } else {
      connection.send(new ConnAck(sessionPresent, ConnAck.ACCEPTED));
    }
    session.attach(connection, client, negotiated.receiveMaximum(), negotiated.topicAliasMaximum());
  }

  /**
   * The MQTT 5 CONNACK of an accepted client. Properties that only repeat the default are left out
   * when the client's Maximum Packet Size would not take them, so that it still gets its CONNACK.
   */
  private ConnAck connAck(boolean sessionPresent, String assignedId, boolean explicitDefaults) {
    Properties properties = negotiated.connAckProperties(config, assignedId, explicitDefaults);
    ConnAck ack = new ConnAck(sessionPresent, ReasonCode.SUCCESS,
        exchange == null ? properties : exchange.connAckProperties(properties));
    if (explicitDefaults && MqttEncoder.size(ack, 5) > negotiated.maxPacketSize()) {
      return connAck(sessionPresent, assignedId, false);
    }
    return ack;
  }

  private void onPublish(Connection connection, Publish publish) {
    String topic = publish.topic();
    Properties properties = publish.properties();
    if (v5) {
      topic = resolveAlias(connection, publish);
      if (topic == null) {
        return;
      }
      if (publish.qos() > config.maxQos()) {
        disconnect(connection, ReasonCode.QOS_NOT_SUPPORTED,
            "QoS " + publish.qos() + " above the maximum QoS " + config.maxQos() + " [MQTT-3.2.2-11]");
        return;
      }
    }
    Message message = Message.of(topic, publish.payload(), publish.qos(), publish.retain(),
        v5 ? properties.forwardable() : Properties.EMPTY, clientId);
    if (!withinTopicLimits(message.topicUtf8(), topic)) {
      disconnect(connection, ReasonCode.TOPIC_NAME_INVALID, "topic name over the configured limits");
      return;
    }
    if (v5 && Integer.valueOf(PayloadFormat.UTF_8).equals(properties.payloadFormatIndicator())
        && !PayloadFormat.isWellFormedUtf8(publish.payload())) {
      if (publish.qos() == 0) {
        disconnect(connection, ReasonCode.PAYLOAD_FORMAT_INVALID, "payload marked UTF-8 is not");
      } else {
        acknowledge(connection, publish, ReasonCode.PAYLOAD_FORMAT_INVALID);
      }
      return;
    }
    if (!sessions.access().mayPublish(client, topic, publish.qos(), publish.retain())) {
      // MQTT 3.1.1 cannot refuse a PUBLISH: acknowledge it as usual and deliver it to no one.
      log.debug("client '{}' may not publish to '{}'; dropped", clientId, topic);
      acknowledge(connection, publish, ReasonCode.NOT_AUTHORIZED);
      return;
    }
    if (publish.qos() == 2) {
      // Exactly once: a QoS 2 id stays known until PUBREL, so a resent PUBLISH is not routed again.
      if (session.inboundQos2().contains(publish.packetId())) {
        acknowledge(connection, publish, ReasonCode.SUCCESS);
        return;
      }
      if (session.inboundQos2().size() >= config.receiveMaximum()) {
        disconnect(connection, ReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
            "more than " + config.receiveMaximum() + " QoS 2 messages awaiting PUBREL [MQTT-3.3.4-7]");
        return;
      }
      session.inboundQos2().add(publish.packetId());
    }
    ReasonCode outcome = sessions.publish(message, connection.loop().index(), client, connection,
        decided -> acknowledge(connection, publish, decided));
    if (outcome != null) {
      acknowledge(connection, publish, outcome);
    }
  }

  /** The topic of an MQTT 5 PUBLISH, through its Topic Alias if it has one; null after disconnecting. */
  private String resolveAlias(Connection connection, Publish publish) {
    Integer alias = publish.properties().topicAlias();
    if (alias == null) {
      return publish.topic();
    }
    if (!aliases.inRange(alias)) {
      disconnect(connection, ReasonCode.TOPIC_ALIAS_INVALID,
          "topic alias " + alias + " above the maximum " + config.topicAliasMaximum() + " [MQTT-3.3.2-9]");
      return null;
    }
    if (!publish.topic().isEmpty()) {
      aliases.set(alias, publish.topic());
      return publish.topic();
    }
    String topic = aliases.topic(alias);
    if (topic == null) {
      disconnect(connection, ReasonCode.PROTOCOL_ERROR, "topic alias " + alias + " was never set");
    }
    return topic;
  }

  /**
   * Answers a QoS 1 or 2 PUBLISH. MQTT 5 hears the reason code; 3.1.1 cannot be told of a failure
   * and gets the usual answer. A failed QoS 2 id is forgotten, so that a resend is a new message
   * [MQTT-4.3.3-9].
   */
  private void acknowledge(Connection connection, Publish publish, ReasonCode reason) {
    // An interceptor may reject with any error code; one the acknowledgement cannot carry is
    // sent as Unspecified error [MQTT-3.4.2-1].
    ReasonCode code = !v5 ? ReasonCode.SUCCESS : PubAck.carries(reason) ? reason : ReasonCode.UNSPECIFIED_ERROR;
    if (publish.qos() == 1) {
      connection.send(new PubAck(publish.packetId(), code, Properties.EMPTY));
    } else if (publish.qos() == 2) {
      if (code.isError()) {
        session.inboundQos2().remove(publish.packetId());
      }
      connection.send(new PubRec(publish.packetId(), code, Properties.EMPTY));
    }
  }

  private void onPubRec(Connection connection, PubRec rec) {
    boolean failed = rec.reasonCode().isError();
    boolean known = session.onPubRec(rec.packetId(), failed);
    if (failed) {
      return; // the client refused the message: the exchange ends here
    }
    // A PUBREL answers every PUBREC; MQTT 5 says when the id was not in flight.
    connection.send(new PubRel(rec.packetId(),
        known || !v5 ? ReasonCode.SUCCESS : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY));
  }

  private void onPubRel(Connection connection, PubRel rel) {
    boolean known = session.inboundQos2().remove(rel.packetId());
    connection.send(new PubComp(rel.packetId(),
        known || !v5 ? ReasonCode.SUCCESS : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY));
  }

  private void onSubscribe(Connection connection, Subscribe subscribe) {
    int count = subscribe.requests().size();
    byte[] codes = new byte[count];
    boolean[] sendRetained = new boolean[count];
    Integer identifier = subscribe.properties().subscriptionIdentifier();
    Map<String, Integer> current = session.subscriptions();
    for (int i = 0; i < count; i++) {
      Subscribe.Request request = subscribe.requests().get(i);
      ReasonCode refusal = checkSubscription(request.filter(), request.qos(), current);
      if (refusal != null) {
        codes[i] = (byte) (v5 ? refusal.value() : SubAck.FAILURE);
        continue;
      }
      String filter = request.filter();
      int granted = sessions.hooks().interceptSubscribe(client, filter, Math.min(request.qos(), config.maxQos()));
      if (granted < 0) {
        log.debug("client '{}' subscription to '{}' refused by an interceptor", clientId, filter);
        // An interceptor may reject with any error code, a SUBACK carries only its own [MQTT-3.9.3-2].
        int code = SubAck.carries(-granted) ? -granted : ReasonCode.UNSPECIFIED_ERROR.value();
        codes[i] = (byte) (v5 ? code : SubAck.FAILURE);
        continue;
      }
      int options = SubscriptionOptions.of(granted, request.noLocal(), request.retainAsPublished(),
          identifier == null ? 0 : identifier);
      boolean existed = current.put(filter, options) != null;
      sessions.router().subscribe(filter, session, options);
      if (session.persistent()) {
        Sessions.logFailure(sessions.sessionStore().putSubscription(clientId,
            RestoredState.toStored(filter, options)), "store subscription", clientId);
      }
      codes[i] = (byte) granted;
      // A shared subscription is sent no retained messages when it is made (MQTT 5.0 section 4.8.2).
      sendRetained[i] = !SharedFilter.isShared(filter)
          && (request.retainHandling() == Subscribe.SEND_RETAINED
              || (request.retainHandling() == Subscribe.SEND_RETAINED_IF_NEW && !existed));
    }
    connection.send(new SubAck(subscribe.packetId(), codes));
    // Retained messages follow the SUBACK, also for a subscription that replaced an existing one.
    for (int i = 0; i < count; i++) {
      if (sendRetained[i]) {
        int options = current.get(subscribe.requests().get(i).filter());
        sessions.router().retained().forEachMatching(subscribe.requests().get(i).filter(),
            retained -> session.deliverRetained(retained, options));
      }
    }
  }

  /** Why a filter is refused, or null when it may be subscribed to (interceptors aside). */
  private ReasonCode checkSubscription(String filter, int qos, Map<String, Integer> current) {
    // The decoder has checked the filter's syntax as a whole; a shared one's parts are checked here.
    SharedFilter shared = SharedFilter.parse(filter);
    if (shared == null && SharedFilter.isShared(filter)) {
      log.debug("client '{}' refused shared subscription '{}': no ShareName, a wildcard in it, or no filter after it "
          + "[MQTT-4.8.2-1] [MQTT-4.8.2-2]", clientId, filter);
      return ReasonCode.TOPIC_FILTER_INVALID;
    }
    if (!withinTopicLimits(filter.getBytes(StandardCharsets.UTF_8), filter)) {
      log.debug("client '{}' refused subscription to '{}': over the topic limits", clientId, filter);
      return ReasonCode.TOPIC_FILTER_INVALID;
    }
    if (!current.containsKey(filter) && current.size() >= config.maxSubscriptionsPerClient()) {
      log.debug("client '{}' refused subscription to '{}': it has {} already", clientId, filter, current.size());
      return ReasonCode.QUOTA_EXCEEDED;
    }
    // A shared subscription reads what its filter after the share name matches: that is what is authorized.
    if (!sessions.access().maySubscribe(client, shared != null ? shared.topicFilter() : filter, qos)) {
      log.debug("client '{}' may not subscribe to '{}'", clientId, filter);
      return ReasonCode.NOT_AUTHORIZED;
    }
    return null;
  }

  private void onUnsubscribe(Connection connection, Unsubscribe unsubscribe) {
    List<ReasonCode> codes = new ArrayList<>(unsubscribe.filters().size());
    for (String filter : unsubscribe.filters()) {
      if (session.subscriptions().remove(filter) != null) {
        sessions.router().unsubscribe(filter, session);
        if (session.persistent()) {
          Sessions.logFailure(sessions.sessionStore().removeSubscription(clientId, filter),
              "remove subscription", clientId);
        }
        codes.add(ReasonCode.SUCCESS);
      } else {
        codes.add(ReasonCode.NO_SUBSCRIPTION_EXISTED);
      }
    }
    connection.send(new UnsubAck(unsubscribe.packetId(), codes, Properties.EMPTY));
  }

  private void onDisconnect(Connection connection, Disconnect disconnect) {
    if (v5) {
      Long expiry = disconnect.properties().sessionExpiryInterval();
      if (expiry != null) {
        boolean connectAskedNone = negotiated.sessionExpirySeconds() == 0 && !negotiated.expiryLowered();
        if (connectAskedNone && expiry != 0) {
          disconnect(connection, ReasonCode.PROTOCOL_ERROR,
              "DISCONNECT sets a session expiry after CONNECT set none (MQTT 5 section 3.14.2.2.2)");
          return;
        }
        boolean wasPersistent = session.persistent();
        session.expirySeconds(Math.min(expiry, config.maxSessionExpirySeconds()));
        if (wasPersistent && !session.persistent()) {
          // It ends with this connection now, and a session that is no longer persistent is not
          // discarded from the store (see Sessions.discard): remove it here.
          Sessions.logFailure(sessions.sessionStore().removeSession(clientId), "remove session", clientId);
        }
      }
    }
    if (disconnect.reasonCode() != ReasonCode.DISCONNECT_WITH_WILL_MESSAGE) {
      will = null; // [MQTT-3.14.4-3] a normal DISCONNECT discards the will
    }
    connection.close(DisconnectReason.CLIENT_DISCONNECTED, null);
  }

  /**
   * Closes the connection for a protocol error or a broken limit, telling an MQTT 5 client why
   * with a DISCONNECT first [MQTT-4.13.1-1].
   */
  private void disconnect(Connection connection, ReasonCode reason, String why) {
    disconnect(connection, reason, Properties.EMPTY,
        reason == ReasonCode.PROTOCOL_ERROR || reason == ReasonCode.TOPIC_ALIAS_INVALID
            ? DisconnectReason.PROTOCOL_ERROR : DisconnectReason.LIMIT_EXCEEDED, why);
  }

  /**
   * Closes the connection of a connected client, with an MQTT 5 DISCONNECT carrying this reason
   * code and these properties first.
   */
  private void disconnect(Connection connection, ReasonCode reason, Properties properties,
      DisconnectReason closeReason, String why) {
    log.debug("closing client '{}' from {}: {}", clientId, connection.remoteAddress(), why);
    if (v5 && !disconnectSent) {
      disconnectSent = true;
      connection.send(new Disconnect(reason, properties));
    }
    connection.close(closeReason, why);
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
    if (v5 && state == State.CONNECTED && !disconnectSent) {
      disconnectSent = true;
      connection.send(new Disconnect(violation.reasonCode(), Properties.EMPTY));
    } else if (v5 && state == State.AUTHENTICATING && ConnAck.carries(violation.reasonCode())) {
      // No CONNACK yet, so no DISCONNECT [MQTT-3.14.0-1]: a refusing CONNACK says why.
      state = State.CLOSED;
      connection.send(new ConnAck(false, violation.reasonCode(), Properties.EMPTY));
    }
  }

  @Override
  public void onClosing(Connection connection, DisconnectReason reason) {
    if (!v5 || state != State.CONNECTED || disconnectSent) {
      return;
    }
    ReasonCode code = switch (reason) {
      case TAKEN_OVER -> ReasonCode.SESSION_TAKEN_OVER;
      case KEEP_ALIVE_TIMEOUT -> ReasonCode.KEEP_ALIVE_TIMEOUT;
      case ADMINISTRATIVE -> ReasonCode.ADMINISTRATIVE_ACTION;
      case BROKER_STOPPED -> ReasonCode.SERVER_SHUTTING_DOWN;
      case OVERLOADED -> ReasonCode.SERVER_BUSY;
      case LIMIT_EXCEEDED -> ReasonCode.QUOTA_EXCEEDED;
      case PROTOCOL_ERROR -> ReasonCode.PROTOCOL_ERROR;
      default -> null; // the client disconnected, or never got that far
    };
    if (code != null) {
      disconnectSent = true;
      connection.send(new Disconnect(code, Properties.EMPTY));
    }
  }

  @Override
  public void onTick(Connection connection, long nowNanos) {
    if (state == State.AWAITING_CONNECT
        && nowNanos - connection.acceptedNanos() > config.connectTimeout().toNanos()) {
      connection.close(DisconnectReason.CONNECT_TIMEOUT, "no CONNECT within " + config.connectTimeout());
    } else if (state == State.AUTHENTICATING
        && nowNanos - exchange.challengedNanos() > config.connectTimeout().toNanos()) {
      connection.close(DisconnectReason.CONNECT_TIMEOUT,
          "no answer to the authentication challenge within " + config.connectTimeout());
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
    sessions.hooks().disconnected(client, reason);
    boolean current = session.connection() == connection;
    if (will != null) {
      releaseWill(current);
    }
    if (current) {
      sessions.detached(session);
    }
  }

  /**
   * Publishes the will now, or holds it in the session for its Will Delay Interval when the
   * session outlives the connection [MQTT-3.1.2-8].
   */
  private void releaseWill(boolean sessionStays) {
    Connect.Will last = will;
    will = null;
    Session owner = session;
    ClientInfo publisher = client;
    Runnable publish = () -> sessions.publish(Message.of(last.topic(), last.payload(), last.qos(), last.retain(),
        last.properties().forwardable(), publisher.clientId()), owner.loopIndex(), publisher, null, null);
    Long delay = last.properties().willDelayInterval();
    if (delay == null || delay == 0 || !sessionStays || !owner.persistent()) {
      publish.run();
      return;
    }
    long seconds = Math.min(delay, owner.expirySeconds());
    owner.holdWill(publish, sessions.loop(owner.loopIndex()).schedule(TimeUnit.SECONDS.toNanos(seconds), () -> {
      Runnable held = owner.takeWill();
      if (held != null) {
        held.run();
      }
    }));
  }
}
