package io.tern.broker.junit;

import io.tern.broker.Broker;
import io.tern.broker.BrokerBuilder;
import java.lang.reflect.Parameter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs a Tern broker for tests: one for the whole test class, or a fresh one for each test.
 *
 * <p>One broker for the class, on a {@code static} field; it starts before the {@code @BeforeAll}
 * methods and is closed after the {@code @AfterAll} methods, and {@code @Nested} classes share it:
 *
 * <pre>{@code
 * class DashboardTest {
 *   @RegisterExtension
 *   static final TernBrokerExtension broker = TernBrokerExtension.perClass();
 *
 *   @Test
 *   void showsLatestReading(@BrokerUri String uri, TestClient client) {
 *     Dashboard dashboard = Dashboard.connect(uri);
 *     client.publish("sensors/hall", "21.5");
 *     await().until(() -> dashboard.reading("hall"), is("21.5"));
 *   }
 * }
 * }</pre>
 *
 * <p>A fresh broker for each test, on an instance field; it starts before the {@code @BeforeEach}
 * methods and is closed after the {@code @AfterEach} methods, so no retained message or session
 * outlives a test:
 *
 * <pre>{@code
 * @RegisterExtension
 * final TernBrokerExtension broker = TernBrokerExtension.perTest()
 *     .configure(builder -> builder.maxQos(QoS.AT_LEAST_ONCE));
 * }</pre>
 *
 * <p>The broker listens on {@code 127.0.0.1}, on a free ephemeral port, with two event loops,
 * unless {@link #configure} says otherwise. While it runs, {@link #broker()}, {@link #port()},
 * {@link #uri()} and {@link #client()} give access to it, and test, lifecycle and constructor
 * parameters of these types are injected:
 *
 * <ul>
 *   <li>{@link Broker}: the running broker;
 *   <li>{@link TestClient}: an in-process client that publishes and records messages;
 *   <li>{@code @}{@link BrokerUri} {@link String} or {@link URI}: the URI network clients connect
 *       to, such as {@code tcp://127.0.0.1:40123}.
 * </ul>
 *
 * <p>When the broker's life ends, the subscriptions made through its {@link TestClient} are closed
 * first, then the broker, then the thread that delivered to those subscriptions.
 *
 * <p>An extension holds one broker at a time: register a {@link #perTest()} extension on an
 * instance field when tests run concurrently, so that each test instance has its own. Register
 * one extension per test class; two would compete for the same parameters.
 */
public final class TernBrokerExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private enum Scope { CLASS, TEST }

  private static final UnaryOperator<BrokerBuilder> DEFAULTS =
      builder -> builder.host("127.0.0.1").port(0).eventLoops(2);

  private final Scope scope;
  private final UnaryOperator<BrokerBuilder> settings;
  private Running running;
  /** The unique id of the extension context whose callbacks started the running broker. */
  private String owner;

  private TernBrokerExtension(Scope scope, UnaryOperator<BrokerBuilder> settings) {
    this.scope = scope;
    this.settings = settings;
  }

  /**
   * An extension that runs one broker for all tests of the class that registers it, and of its
   * {@code @Nested} classes. Register it on a {@code static} field:
   *
   * <pre>{@code
   * @RegisterExtension
   * static final TernBrokerExtension broker = TernBrokerExtension.perClass();
   * }</pre>
   *
   * <p>Retained messages and persistent sessions carry over from test to test; use distinct
   * topics and client identifiers, or {@link #perTest()}.
   */
  public static TernBrokerExtension perClass() {
    return new TernBrokerExtension(Scope.CLASS, UnaryOperator.identity());
  }

  /**
   * An extension that runs a fresh broker for each test. Register it on an instance field:
   *
   * <pre>{@code
   * @RegisterExtension
   * final TernBrokerExtension broker = TernBrokerExtension.perTest();
   * }</pre>
   */
  public static TernBrokerExtension perTest() {
    return new TernBrokerExtension(Scope.TEST, UnaryOperator.identity());
  }

  /**
   * A new extension like this one, whose brokers also get {@code more} settings, applied on top of
   * the defaults and of the settings configured so far. This extension is unchanged.
   *
   * <pre>{@code
   * @RegisterExtension
   * static final TernBrokerExtension broker = TernBrokerExtension.perClass()
   *     .configure(builder -> builder.maxPacketSize(4096).maxConnections(10));
   * }</pre>
   *
   * @param more changes to the builder; it must return the builder it was given
   */
  public TernBrokerExtension configure(UnaryOperator<BrokerBuilder> more) {
    Objects.requireNonNull(more, "more");
    UnaryOperator<BrokerBuilder> before = settings;
    return new TernBrokerExtension(scope, builder -> more.apply(before.apply(builder)));
  }

  /**
   * The running broker.
   *
   * @throws IllegalStateException when no broker is running, such as outside the tests of the
   *     class that registers this extension
   */
  public Broker broker() {
    return current().broker;
  }

  /**
   * The port the broker listens on.
   *
   * @throws IllegalStateException when no broker is running
   */
  public int port() {
    return broker().port();
  }

  /**
   * The URI network clients connect to, such as {@code tcp://127.0.0.1:40123}; for a broker that
   * listens on all interfaces, the loopback address.
   *
   * @throws IllegalStateException when no broker is running
   */
  public String uri() {
    return uriOf(broker().address());
  }

  /**
   * The in-process client of the running broker; the same one for the broker's whole life.
   *
   * @throws IllegalStateException when no broker is running
   */
  public TestClient client() {
    return current().client;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (scope == Scope.CLASS) {
      synchronized (this) {
        // A @Nested class runs inside its enclosing class, whose broker it shares.
        if (running == null) {
          running = Running.start(settings);
          owner = context.getUniqueId();
        }
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (scope == Scope.CLASS) {
      stopIfStartedBy(context);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    synchronized (this) {
      if (scope == Scope.TEST) {
        if (running != null) {
          throw new ExtensionConfigurationException("TernBrokerExtension.perTest() already runs a broker for another"
              + " test; when tests run concurrently, register it on an instance field, not a static one: "
              + PER_TEST_USAGE);
        }
        running = Running.start(settings);
        owner = context.getUniqueId();
      } else if (running == null) {
        throw new ExtensionConfigurationException("TernBrokerExtension.perClass() did not start a broker for "
            + context.getRequiredTestClass().getName() + " because it is not registered on a static field: "
            + PER_CLASS_USAGE + "; for a broker per test, use " + PER_TEST_USAGE);
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (scope == Scope.TEST) {
      stopIfStartedBy(context);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Parameter parameter = parameterContext.getParameter();
    Class<?> type = parameter.getType();
    if (parameterContext.isAnnotated(BrokerUri.class)) {
      if (type != String.class && type != URI.class) {
        throw new ParameterResolutionException("@BrokerUri marks a String or java.net.URI parameter, not "
            + type.getName() + " (" + describe(parameterContext) + ")");
      }
      return true;
    }
    return type == Broker.class || type == TestClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Running current;
    synchronized (this) {
      current = running;
    }
    if (current == null) {
      throw new ParameterResolutionException("Cannot inject the " + describe(parameterContext) + ": "
          + notRunningMessage());
    }
    Class<?> type = parameterContext.getParameter().getType();
    if (parameterContext.isAnnotated(BrokerUri.class)) {
      String uri = uriOf(current.broker.address());
      return type == URI.class ? URI.create(uri) : uri;
    }
    return type == Broker.class ? current.broker : current.client;
  }

  @Override
  public String toString() {
    Running current;
    synchronized (this) {
      current = running;
    }
    String name = scope == Scope.CLASS ? "perClass" : "perTest";
    return "TernBrokerExtension." + name + "()"
        + (current == null ? " (not running)" : " on " + uriOf(current.broker.address()));
  }

  private static String describe(ParameterContext parameterContext) {
    return parameterContext.getParameter().getType().getSimpleName() + " parameter at index "
        + parameterContext.getIndex() + " of " + parameterContext.getDeclaringExecutable();
  }

  private synchronized Running current() {
    if (running == null) {
      throw new IllegalStateException(notRunningMessage());
    }
    return running;
  }

  private void stopIfStartedBy(ExtensionContext context) {
    Running stopping;
    synchronized (this) {
      if (running == null || !context.getUniqueId().equals(owner)) {
        return;
      }
      stopping = running;
      running = null;
      owner = null;
    }
    stopping.stop();
  }

  private String notRunningMessage() {
    return scope == Scope.CLASS
        ? "No broker is running: TernBrokerExtension.perClass() runs one from before the @BeforeAll methods of the"
            + " class that registers it until after its @AfterAll methods, when registered on a static field: "
            + PER_CLASS_USAGE
        : "No broker is running: TernBrokerExtension.perTest() runs one for each test, from before its @BeforeEach"
            + " methods until after its @AfterEach methods (not in @BeforeAll or @AfterAll), when registered as "
            + PER_TEST_USAGE;
  }

  private static final String PER_CLASS_USAGE =
      "@RegisterExtension static final TernBrokerExtension broker = TernBrokerExtension.perClass();";
  private static final String PER_TEST_USAGE =
      "@RegisterExtension final TernBrokerExtension broker = TernBrokerExtension.perTest();";

  static String uriOf(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    String host;
    if (ip == null) {
      host = address.getHostString();
    } else if (ip.isAnyLocalAddress()) {
      host = ip instanceof Inet6Address ? "[::1]" : "127.0.0.1";
    } else if (ip instanceof Inet6Address) {
      String text = ip.getHostAddress();
      int scopeStart = text.indexOf('%');
      host = "[" + (scopeStart < 0 ? text : text.substring(0, scopeStart)) + "]";
    } else {
      host = ip.getHostAddress();
    }
    return "tcp://" + host + ":" + address.getPort();
  }

  /** A started broker with its test client and the thread that delivers to the client's subscriptions. */
  private static final class Running {
    final Broker broker;
    final ExecutorService executor;
    final TestClient client;

    private Running(Broker broker, ExecutorService executor) {
      this.broker = broker;
      this.executor = executor;
      this.client = new TestClient(broker, executor);
    }

    static Running start(UnaryOperator<BrokerBuilder> settings) {
      BrokerBuilder builder = settings.apply(DEFAULTS.apply(Broker.builder()));
      if (builder == null) {
        throw new ExtensionConfigurationException(
            "the function given to TernBrokerExtension.configure(...) returned null instead of the builder");
      }
      Broker broker = builder.build().start();
      ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "tern-test-client-" + broker.port());
        thread.setDaemon(true);
        return thread;
      });
      return new Running(broker, executor);
    }

    void stop() {
      try {
        client.close();
      } finally {
        try {
          broker.close();
        } finally {
          executor.shutdownNow();
        }
      }
    }
  }
}
