package io.tern.broker.admin;

import io.tern.broker.message.Message;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Inspects and manages a running broker. Obtained from {@link io.tern.broker.Broker#admin()}.
 *
 * <p>Thread-safe; never blocks. Questions about sessions are answered by the event loops that own
 * them, so they return stages; each answer is a snapshot that may be out of date by the time it
 * arrives. A stage completes exceptionally with {@link
 * java.util.concurrent.RejectedExecutionException} when a loop is too busy to answer now, and
 * with {@link IllegalStateException} when the broker is not running.
 */
public interface BrokerAdmin {

  /** Every session: connected clients, and persistent sessions whose clients are offline. */
  CompletionStage<List<SessionInfo>> sessions();

  /** One session by client id, if there is one. */
  CompletionStage<Optional<SessionInfo>> session(String clientId);

  /**
   * Closes a client's connection, as if the network had failed: its will is published and a
   * persistent session stays.
   *
   * @return whether the client was connected
   */
  CompletionStage<Boolean> disconnect(String clientId);

  /**
   * Sends a client to another server (MQTT 5 server redirection) and closes its connection: an
   * MQTT 5 client gets DISCONNECT with Reason Code 0x9D (Server moved) when {@code permanent},
   * otherwise 0x9C (Use another server), and this Server Reference; an MQTT 3.1.1 client, which
   * cannot be told, is just disconnected. Otherwise like {@link #disconnect}: its will is
   * published and a persistent session stays. Lifecycle listeners see {@link
   * io.tern.broker.client.DisconnectReason#ADMINISTRATIVE}.
   *
   * @param serverReference where the client should connect instead, for example {@code
   *     "mqtt2.example.com:1883"}; a UTF-8 string of at most 65,535 bytes without U+0000
   * @return whether the client was connected
   * @throws IllegalArgumentException when the reference cannot be sent as an MQTT string
   */
  CompletionStage<Boolean> redirect(String clientId, String serverReference, boolean permanent);

  /**
   * Removes a session, disconnecting its client first if connected: its subscriptions and queued
   * messages are gone.
   *
   * @return whether there was such a session
   */
  CompletionStage<Boolean> removeSession(String clientId);

  /** The retained messages, in no particular order. */
  List<Message> retainedMessages();

  /**
   * Clears the retained message of a topic.
   *
   * @return whether there was one
   */
  boolean clearRetained(String topic);

  /** The broker's counters now. */
  MetricsSnapshot metrics();
}
