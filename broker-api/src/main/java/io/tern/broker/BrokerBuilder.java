package io.tern.broker;

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
import java.nio.file.Path;
import java.time.Duration;

/**
 * Configures a {@link Broker}. Every setting has a default that suits a broker on the loopback
 * interface; {@link #build()} validates the whole configuration once.
 *
 * <p>A builder is not thread-safe; use it from one thread, then discard it.
 */
public interface BrokerBuilder {

  /** The interface to listen on; default {@code 127.0.0.1}. Use {@code 0.0.0.0} for all. */
  BrokerBuilder host(String host);

  /** The TCP port; default 1883. Port 0 takes a free ephemeral port, read back by {@link Broker#port()}. */
  BrokerBuilder port(int port);

  /** The number of event-loop threads; default the number of available processors. */
  BrokerBuilder eventLoops(int count);

  /** The largest packet accepted from a client, fixed header included; default 1 MiB. */
  BrokerBuilder maxPacketSize(int bytes);

  /** How many QoS 1 and 2 messages may await acknowledgement per client; default 32. */
  BrokerBuilder maxInflight(int messages);

  /**
   * How many QoS 1 and 2 messages a session queues beyond its in-flight window, while its client
   * is offline or slow; default 1000. Messages beyond it are dropped, counted and logged.
   */
  BrokerBuilder maxQueuedMessages(int messages);

  /**
   * How many bytes may wait unwritten to one client before the broker disconnects it as a slow
   * consumer; default 8 MiB. QoS 0 messages are dropped (and counted) once half of it is used.
   */
  BrokerBuilder maxOutboundBytes(int bytes);

  /** How long a new connection may take to send its CONNECT; default 10 seconds. */
  BrokerBuilder connectTimeout(Duration timeout);

  /** The most client connections open at once; default unlimited. Beyond it, connections are refused. */
  BrokerBuilder maxConnections(int connections);

  /** The highest QoS granted to subscriptions; default {@link QoS#EXACTLY_ONCE}. */
  BrokerBuilder maxQos(QoS qos);

  /** The longest topic name or filter accepted, in UTF-8 bytes; default 65535. */
  BrokerBuilder maxTopicLength(int bytes);

  /** The most levels in a topic name or filter; default 128. */
  BrokerBuilder maxTopicLevels(int levels);

  /** The most subscriptions one session may hold; default 1000. */
  BrokerBuilder maxSubscriptionsPerClient(int subscriptions);

  /** The longest client identifier accepted, in UTF-8 bytes; default 256, at least 23. */
  BrokerBuilder maxClientIdLength(int bytes);

  /**
   * The MQTT 5 Receive Maximum the broker announces: how many QoS 2 messages one client may have
   * awaiting PUBREL (QoS 1 messages are acknowledged at once); default 65535. A client that sends
   * more is disconnected with reason code 0x93.
   */
  BrokerBuilder receiveMaximum(int messages);

  /**
   * The MQTT 5 Topic Alias Maximum the broker announces: how many topic aliases a client may use
   * when publishing; default 16, 0 for none.
   */
  BrokerBuilder topicAliasMaximum(int aliases);

  /**
   * How many topic aliases the broker assigns on its own PUBLISH packets to one MQTT 5 client, within
   * the client's Topic Alias Maximum; default 16, 0 for none. The first topics sent get them.
   */
  BrokerBuilder outboundTopicAliases(int aliases);

  /**
   * The longest MQTT 5 Session Expiry Interval granted; longer requests are lowered and the client
   * told so in the CONNACK. Default no cap. MQTT 3.1.1 persistent sessions never expire.
   */
  BrokerBuilder maxSessionExpiry(Duration expiry);

  /**
   * The longest keep-alive granted to MQTT 5 clients: one asking for more, or for none, gets this
   * value as Server Keep Alive. Default no cap (65535 seconds).
   */
  BrokerBuilder maxKeepAlive(Duration keepAlive);

  /**
   * The MQTT 5 Response Information given to clients that ask for it in their CONNACK, as the
   * basis of their response topics; default none.
   */
  BrokerBuilder responseInformation(String responseInformation);

  /**
   * Publishes the broker's statistics (version, uptime, clients connected, messages and bytes in
   * and out, messages dropped) as retained QoS 0 messages under {@code $SYS/broker/}, each when it
   * has changed, at this interval (at least 100 ms); default {@link Duration#ZERO}, never. Clients
   * see them by subscribing to {@code $SYS/#}; a filter starting with a wildcard does not match
   * them, and authorizers govern them like any topic.
   */
  BrokerBuilder sysTopicInterval(Duration interval);

  /**
   * How a message published to a shared subscription's filter ({@code $share/{ShareName}/{filter}})
   * is given to one member of the group; default {@link SharedSubscriptionStrategy#ROUND_ROBIN}.
   * Whatever the strategy, connected members are preferred over offline persistent ones.
   */
  BrokerBuilder sharedSubscriptionStrategy(SharedSubscriptionStrategy strategy);

  /**
   * Decides which clients may connect; default none, which accepts every client. Without an
   * authenticator the broker listens only on a loopback interface unless {@link #allowAnonymous()}
   * says otherwise.
   */
  BrokerBuilder authenticator(Authenticator authenticator);

  /**
   * Authenticates clients against a password file of {@code username:hash} lines, with salted
   * PBKDF2-SHA256 hashes (the standalone broker's {@code --add-user} writes them). The slow hash
   * check runs on a thread of the broker's own, never on an event loop. Replaces any {@link
   * #authenticator}.
   */
  BrokerBuilder passwordFile(Path file);

  /**
   * Authorizes publishes and subscriptions with a mosquitto-style ACL file ({@code user},
   * {@code topic [read|write|readwrite|deny] filter} and {@code pattern} lines with {@code %u} and
   * {@code %c}); what no rule allows is denied. Added to the authorizer chain like {@link
   * #addAuthorizer}.
   */
  BrokerBuilder aclFile(Path file);

  /**
   * Accepts clients without an authenticator also on non-loopback interfaces, such as {@code
   * 0.0.0.0}. Logged at WARN when the broker starts. Without it, {@link #build()} refuses such a
   * configuration.
   */
  BrokerBuilder allowAnonymous();

  /**
   * Adds an authorizer to the chain asked for every publish and subscribe, in the order added; the
   * first answer other than abstain decides, and when all abstain the client is allowed.
   */
  BrokerBuilder addAuthorizer(Authorizer authorizer);

  /**
   * Adds an interceptor that sees, changes or stops every message before it is routed; run in the
   * order added. See {@link io.tern.broker.hook} for the contract.
   */
  BrokerBuilder addPublishInterceptor(PublishInterceptor interceptor);

  /**
   * Adds an interceptor that decides asynchronously; run after the synchronous ones, in the order
   * added. See {@link AsyncPublishInterceptor} for how it keeps each client's order.
   */
  BrokerBuilder addAsyncPublishInterceptor(AsyncPublishInterceptor interceptor);

  /** Adds an interceptor that may lower the QoS of, or refuse, every subscription; run in the order added. */
  BrokerBuilder addSubscribeInterceptor(SubscribeInterceptor interceptor);

  /** Adds a listener told of connections, disconnections and sessions. */
  BrokerBuilder addLifecycleListener(LifecycleListener listener);

  /** Adds a listener told of messages published, delivered, acknowledged and dropped. */
  BrokerBuilder addMessageListener(MessageListener listener);

  /** Adds a plugin; see {@link TernPlugin} for the order plugins register in. */
  BrokerBuilder plugin(TernPlugin plugin);

  /**
   * Also uses every {@link TernPlugin} that {@link java.util.ServiceLoader} finds on the class
   * path. Off by default, so that a library does not pick up whatever its host happens to carry.
   */
  BrokerBuilder discoverPlugins();

  /**
   * Keeps persistent sessions and retained messages in files in this directory (created if
   * missing), so that they survive a restart and a crash; default none: in memory only, and lost
   * when the broker stops.
   *
   * <p><b>What survives.</b> With a data directory, a broker started on it again restores, before
   * it accepts clients:
   * <ul>
   *   <li>every persistent session (MQTT 3.1.1 clean session 0, MQTT 5 with a Session Expiry
   *       Interval above 0) with its expiry, counted from the time its client disconnected (from
   *       the restart when the client was still connected as the broker stopped), and every
   *       subscription of it with its QoS and MQTT 5 options (No Local, Retain As Published,
   *       Subscription Identifier); a session that expired while the broker was down is dropped;
   *   <li>the QoS 1 and 2 messages queued for or in flight to such a session, in their order:
   *       those sent before the restart go out again with DUP and their packet ids when the client
   *       reconnects, and those whose Message Expiry Interval passed meanwhile are dropped;
   *   <li>every retained message with its QoS and MQTT 5 properties; its Message Expiry Interval
   *       counts from the time the broker first received it.
   * </ul>
   * A session, message or retained message is stored as {@link #durability} says, and survives a
   * stop, a {@code kill -9} and (with {@link Durability#SYNC}) a power loss from then on. Not yet
   * stored, and so lost on a restart: QoS 2 packet ids awaiting PUBREL, whether a PUBREC came for
   * a message in flight (it is sent again as a PUBLISH), and wills whose delay has not passed. The
   * store never makes a client wait: subscribing, connecting and publishing are acknowledged
   * without waiting for the disk, so a crash may lose the changes of the last moments (with SYNC,
   * those whose force had not completed).
   *
   * <p>One broker at a time may use a directory: {@link Broker#start()} fails with a message naming
   * it when it is locked by another broker, cannot be created or written, or holds files of a newer
   * version. A torn or damaged tail left by a crash is cut off with a warning, never a refusal to
   * start. {@link #sessionStore} and {@link #retainedStore}, or stores a plugin provides, take
   * precedence over it for what they keep. The files are closed with the broker.
   */
  BrokerBuilder dataDirectory(Path directory);

  /**
   * When a change counts as stored in the {@link #dataDirectory}; default {@link Durability#SYNC}.
   * Without a data directory it has no effect.
   */
  BrokerBuilder durability(Durability durability);

  /** Where persistent sessions are kept; default the {@link #dataDirectory}, if set, or else memory. */
  BrokerBuilder sessionStore(SessionStore store);

  /** Where retained messages are kept; default the {@link #dataDirectory}, if set, or else memory. */
  BrokerBuilder retainedStore(RetainedStore store);

  /**
   * Validates the configuration and creates the broker, not yet started.
   *
   * @throws java.io.UncheckedIOException when a password or ACL file cannot be read
   * @throws IllegalArgumentException naming the first invalid setting (or the line of a password or
   *     ACL file that is malformed), when two plugins provide the same single-valued part, or when
   *     the broker would
   *     accept anonymous clients on a non-loopback interface without {@link #allowAnonymous()}
   */
  Broker build();
}
