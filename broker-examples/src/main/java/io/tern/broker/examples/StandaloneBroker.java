package io.tern.broker.examples;

import io.tern.broker.Broker;
import io.tern.broker.BrokerBuilder;
import io.tern.broker.Durability;
import io.tern.broker.message.QoS;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone Tern broker: {@code java -jar tern-broker.jar [options]}. Listens on loopback
 * port 1883 and keeps persistent sessions and retained messages in {@code ./data} unless told
 * otherwise; Ctrl-C stops it cleanly.
 */
public final class StandaloneBroker {

  private record Option(String name, String argument, String help) {}

  private static final List<Option> OPTIONS = List.of(
      new Option("--host", "ADDRESS", "interface to listen on (default 127.0.0.1; 0.0.0.0 for all)"),
      new Option("--port", "PORT", "TCP port (default 1883; 0 for any free port)"),
      new Option("--event-loops", "N", "event-loop threads (default: available processors)"),
      new Option("--max-packet-size", "BYTES", "largest packet accepted (default 1048576)"),
      new Option("--max-inflight", "N", "unacknowledged QoS 1/2 messages per client (default 32)"),
      new Option("--max-queued", "N", "queued QoS 1/2 messages per session (default 1000)"),
      new Option("--max-outbound-bytes", "BYTES", "unwritten bytes before a slow client is dropped (default 8388608)"),
      new Option("--max-connections", "N", "client connections at once (default unlimited)"),
      new Option("--connect-timeout", "SECONDS", "time allowed to send CONNECT (default 10)"),
      new Option("--max-qos", "0|1|2", "highest QoS granted to subscriptions (default 2)"),
      new Option("--max-topic-length", "BYTES", "longest topic name or filter (default 65535)"),
      new Option("--max-topic-levels", "N", "most levels in a topic (default 128)"),
      new Option("--max-subscriptions", "N", "subscriptions per client (default 1000)"),
      new Option("--max-client-id-length", "BYTES", "longest client id (default 256)"),
      new Option("--receive-maximum", "N", "MQTT 5: QoS 2 messages a client may have awaiting PUBREL (default 65535)"),
      new Option("--topic-alias-maximum", "N", "MQTT 5: topic aliases a client may use (default 16)"),
      new Option("--max-session-expiry", "SECONDS", "MQTT 5: longest session expiry granted (default no cap)"),
      new Option("--max-keep-alive", "SECONDS", "MQTT 5: longest keep-alive granted (default no cap)"),
      new Option("--sys-interval", "SECONDS", "publish statistics under $SYS/broker/ this often (default 10; 0 for never)"),
      new Option("--data-dir", "DIR", "keep persistent sessions and retained messages here (default ./data)"),
      new Option("--in-memory", null, "keep nothing on disk: sessions and retained messages end with the broker"),
      new Option("--durability", "sync|batch", "sync: force every change to disk before it counts as stored"
          + " (default); batch: force every --batch-interval, losing at most that much on a power loss"),
      new Option("--batch-interval", "MILLIS", "how often batch durability forces the files (default 10)"),
      new Option("--password-file", "FILE", "authenticate clients against this password file"),
      new Option("--acl-file", "FILE", "authorize publish and subscribe with this ACL file"),
      new Option("--allow-anonymous", null, "accept clients without credentials on a non-loopback --host"),
      new Option("--add-user", "FILE USER", "add or replace USER in a password file (password read from"
          + " standard input) and exit"),
      new Option("--help", null, "print this help and exit"));

  /** Where the standalone broker keeps its data unless told otherwise, relative to its working directory. */
  static final Path DEFAULT_DATA_DIRECTORY = Path.of("data");

  private StandaloneBroker() {}

  public static void main(String[] args) throws InterruptedException, IOException {
    if (args.length > 0 && args[0].equals("--add-user")) {
      System.exit(PasswordTool.addUser(args, System.in, System.out, System.err));
      return;
    }
    BrokerBuilder builder;
    try {
      builder = parse(args);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      System.err.println("tern: " + e.getMessage());
      usage(System.err);
      System.exit(2);
      return;
    }
    if (builder == null) {
      usage(System.out);
      return;
    }
    Broker broker;
    try {
      broker = builder.build();
    } catch (IllegalArgumentException | UncheckedIOException e) {
      System.err.println("tern: " + e.getMessage());
      if (e.getMessage() != null && e.getMessage().contains("allowAnonymous()")) {
        System.err.println("tern: on the command line, give --password-file FILE or --allow-anonymous");
      }
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    // Registered before the listener opens, so that a signal right after start still closes cleanly.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.close();
      stopped.countDown();
    }, "tern-shutdown"));
    try {
      broker.start();
    } catch (RuntimeException e) {
      System.err.println("tern: " + e.getMessage() + (e.getCause() != null ? ": " + e.getCause().getMessage() : ""));
      System.exit(1);
      return;
    }
    stopped.await();
  }

  /** The configured builder, or null when help was asked for. */
  static BrokerBuilder parse(String[] args) {
    // The standalone broker is the one place that picks up whatever plugins sit on its class path.
    BrokerBuilder builder = Broker.builder().discoverPlugins().sysTopicInterval(Duration.ofSeconds(10));
    Deque<String> rest = new ArrayDeque<>(List.of(args));
    Path dataDirectory = DEFAULT_DATA_DIRECTORY;
    boolean inMemory = false;
    boolean dataDirectoryGiven = false;
    String durability = "sync";
    int batchMillis = 10;
    while (!rest.isEmpty()) {
      String name = rest.poll();
      if (name.equals("--help") || name.equals("-h")) {
        return null;
      }
      if (name.equals("--allow-anonymous")) {
        builder.allowAnonymous();
        continue;
      }
      if (name.equals("--in-memory")) {
        inMemory = true;
        continue;
      }
      String value = rest.poll();
      if (value == null) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      switch (name) {
        case "--host" -> builder.host(value);
        case "--port" -> builder.port(number(name, value));
        case "--event-loops" -> builder.eventLoops(number(name, value));
        case "--max-packet-size" -> builder.maxPacketSize(number(name, value));
        case "--max-inflight" -> builder.maxInflight(number(name, value));
        case "--max-queued" -> builder.maxQueuedMessages(number(name, value));
        case "--max-outbound-bytes" -> builder.maxOutboundBytes(number(name, value));
        case "--max-connections" -> builder.maxConnections(number(name, value));
        case "--connect-timeout" -> builder.connectTimeout(Duration.ofSeconds(number(name, value)));
        case "--max-qos" -> builder.maxQos(QoS.of(number(name, value)));
        case "--max-topic-length" -> builder.maxTopicLength(number(name, value));
        case "--max-topic-levels" -> builder.maxTopicLevels(number(name, value));
        case "--max-subscriptions" -> builder.maxSubscriptionsPerClient(number(name, value));
        case "--max-client-id-length" -> builder.maxClientIdLength(number(name, value));
        case "--receive-maximum" -> builder.receiveMaximum(number(name, value));
        case "--topic-alias-maximum" -> builder.topicAliasMaximum(number(name, value));
        case "--max-session-expiry" -> builder.maxSessionExpiry(Duration.ofSeconds(number(name, value)));
        case "--max-keep-alive" -> builder.maxKeepAlive(Duration.ofSeconds(number(name, value)));
        case "--sys-interval" -> builder.sysTopicInterval(Duration.ofSeconds(number(name, value)));
        case "--password-file" -> builder.passwordFile(Path.of(value));
        case "--acl-file" -> builder.aclFile(Path.of(value));
        case "--data-dir" -> {
          dataDirectory = Path.of(value);
          dataDirectoryGiven = true;
        }
        case "--durability" -> durability = value;
        case "--batch-interval" -> batchMillis = number(name, value);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (inMemory && dataDirectoryGiven) {
      throw new IllegalArgumentException("--in-memory and --data-dir exclude each other");
    }
    if (!inMemory) {
      builder.dataDirectory(dataDirectory).durability(durability(durability, batchMillis));
    }
    return builder;
  }

  private static Durability durability(String mode, int batchMillis) {
    return switch (mode) {
      case "sync" -> Durability.SYNC;
      case "batch" -> Durability.batch(Duration.ofMillis(batchMillis));
      default -> throw new IllegalArgumentException("--durability is sync or batch, not '" + mode + "'");
    };
  }

  private static int number(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, not '" + value + "'");
    }
  }

  private static void usage(PrintStream out) {
    out.println("Usage: java -jar tern-broker.jar [options]");
    out.println();
    out.println("Options:");
    for (Option option : OPTIONS) {
      String left = option.name() + (option.argument() != null ? " " + option.argument() : "");
      out.printf("  %-30s %s%n", left, option.help());
    }
  }
}
