package io.tern.broker.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.Broker;
import io.tern.broker.message.QoS;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/**
 * The extension's callbacks driven directly, to see what happens at the end of a broker's life and
 * when the extension is misused.
 */
@Timeout(30)
class ExtensionLifecycleTest {

  @Test
  void afterAllClosesTheClientsSubscriptionsAndTheBroker() {
    TernBrokerExtension extension = TernBrokerExtension.perClass();
    ExtensionContext classContext = context("[class:Outer]");
    extension.beforeAll(classContext);
    Broker broker = extension.broker();
    TestClient client = extension.client();
    MessageRecorder recorder = client.subscribe("t");
    client.publish("t", "while running");
    recorder.awaitOne();

    extension.afterAll(classContext);

    assertThat(broker.isRunning()).isFalse();
    assertThatThrownBy(() -> client.subscribe("t")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> client.publish("t", "after")).isInstanceOf(IllegalStateException.class);
    assertThat(recorder.payloads()).containsExactly("while running");
    assertThatThrownBy(extension::broker).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@RegisterExtension static final TernBrokerExtension broker"
            + " = TernBrokerExtension.perClass();");
  }

  @Test
  void aNestedClassSharesTheBrokerAndLeavesItRunning() {
    TernBrokerExtension extension = TernBrokerExtension.perClass();
    ExtensionContext outer = context("[class:Outer]");
    ExtensionContext nested = context("[class:Outer]/[nested-class:Inner]");
    extension.beforeAll(outer);
    Broker broker = extension.broker();
    try {
      extension.beforeAll(nested);
      assertThat(extension.broker()).isSameAs(broker);
      extension.afterAll(nested);
      assertThat(broker.isRunning()).isTrue();
    } finally {
      extension.afterAll(outer);
    }
    assertThat(broker.isRunning()).isFalse();
  }

  @Test
  void perTestStartsABrokerForEachTestAndClosesItAfterwards() {
    TernBrokerExtension extension = TernBrokerExtension.perTest();
    ExtensionContext classContext = context("[class:Outer]");
    extension.beforeAll(classContext);
    assertThatThrownBy(extension::broker).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("perTest()").hasMessageContaining("not in @BeforeAll");

    ExtensionContext first = context("[class:Outer]/[method:first()]");
    extension.beforeEach(first);
    Broker firstBroker = extension.broker();
    extension.afterEach(first);
    ExtensionContext second = context("[class:Outer]/[method:second()]");
    extension.beforeEach(second);
    Broker secondBroker = extension.broker();
    extension.afterEach(second);
    extension.afterAll(classContext);

    assertThat(secondBroker).isNotSameAs(firstBroker);
    assertThat(firstBroker.isRunning()).isFalse();
    assertThat(secondBroker.isRunning()).isFalse();
  }

  @Test
  void aPerTestExtensionSharedByConcurrentTestsIsReported() {
    TernBrokerExtension extension = TernBrokerExtension.perTest();
    ExtensionContext first = context("[class:Outer]/[method:first()]");
    extension.beforeEach(first);
    try {
      assertThatThrownBy(() -> extension.beforeEach(context("[class:Outer]/[method:second()]")))
          .isInstanceOf(ExtensionConfigurationException.class).hasMessageContaining("instance field");
    } finally {
      extension.afterEach(first);
    }
  }

  @Test
  void aPerClassExtensionThatMissedBeforeAllSaysToUseAStaticField() {
    TernBrokerExtension extension = TernBrokerExtension.perClass();
    assertThatThrownBy(() -> extension.beforeEach(context("[class:Outer]/[method:test()]")))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageContaining("not registered on a static field")
        .hasMessageContaining("static final TernBrokerExtension broker = TernBrokerExtension.perClass();");
  }

  @Test
  void configureReturnsANewExtensionAndLeavesTheOriginalAsItWas() throws Exception {
    TernBrokerExtension plain = TernBrokerExtension.perClass();
    TernBrokerExtension capped = plain.configure(builder -> builder.maxQos(QoS.AT_MOST_ONCE));
    assertThat(capped).isNotSameAs(plain);
    assertThat(grantedQos(plain)).isEqualTo(2);
    assertThat(grantedQos(capped)).isEqualTo(0);
  }

  @Test
  void parametersAreResolvedByTypeAndBrokerUri() throws Exception {
    TernBrokerExtension extension = TernBrokerExtension.perClass();
    ExtensionContext classContext = context("[class:Outer]");
    Method method = Parameters.class.getDeclaredMethod("all", Broker.class, TestClient.class, String.class,
        URI.class, String.class, int.class);
    Parameter[] parameters = method.getParameters();

    assertThat(extension.supportsParameter(parameter(parameters[0]), classContext)).isTrue();
    assertThat(extension.supportsParameter(parameter(parameters[1]), classContext)).isTrue();
    assertThat(extension.supportsParameter(parameter(parameters[2]), classContext)).isTrue();
    assertThat(extension.supportsParameter(parameter(parameters[3]), classContext)).isTrue();
    assertThat(extension.supportsParameter(parameter(parameters[4]), classContext)).isFalse();
    assertThatThrownBy(() -> extension.supportsParameter(parameter(parameters[5]), classContext))
        .isInstanceOf(ParameterResolutionException.class)
        .hasMessageContaining("@BrokerUri marks a String or java.net.URI parameter, not int");

    assertThatThrownBy(() -> extension.resolveParameter(parameter(parameters[0]), classContext))
        .isInstanceOf(ParameterResolutionException.class)
        .hasMessageStartingWith("Cannot inject the Broker parameter at index 0 of static void")
        .hasMessageContaining("No broker is running");

    extension.beforeAll(classContext);
    try {
      assertThat(extension.resolveParameter(parameter(parameters[0]), classContext)).isSameAs(extension.broker());
      assertThat(extension.resolveParameter(parameter(parameters[1]), classContext)).isSameAs(extension.client());
      assertThat(extension.resolveParameter(parameter(parameters[2]), classContext)).isEqualTo(extension.uri());
      assertThat(extension.resolveParameter(parameter(parameters[3]), classContext))
          .isEqualTo(URI.create(extension.uri()));
    } finally {
      extension.afterAll(classContext);
    }
  }

  @Test
  void theUriNamesAnAddressClientsCanConnectTo() {
    assertThat(TernBrokerExtension.uriOf(new InetSocketAddress("127.0.0.1", 1883))).isEqualTo("tcp://127.0.0.1:1883");
    assertThat(TernBrokerExtension.uriOf(new InetSocketAddress("0.0.0.0", 1884))).isEqualTo("tcp://127.0.0.1:1884");
    assertThat(TernBrokerExtension.uriOf(new InetSocketAddress("::", 1885))).isEqualTo("tcp://[::1]:1885");
    assertThat(TernBrokerExtension.uriOf(new InetSocketAddress("::1", 1886))).isEqualTo("tcp://[0:0:0:0:0:0:0:1]:1886");
  }

  private static int grantedQos(TernBrokerExtension extension) throws Exception {
    ExtensionContext classContext = context("[class:Outer]");
    extension.beforeAll(classContext);
    try (Paho paho = Paho.connect(extension.uri(), "granted")) {
      return paho.subscribe("granted/#", 2);
    } finally {
      extension.afterAll(classContext);
    }
  }

  /** Methods whose parameters the resolution tests use. */
  @SuppressWarnings("unused")
  private static final class Parameters {
    static void all(Broker broker, TestClient client, @BrokerUri String uri, @BrokerUri URI uriObject,
        String plain, @BrokerUri int wrong) {}
  }

  /** An extension context with only the parts the extension reads. */
  private static ExtensionContext context(String uniqueId) {
    return (ExtensionContext) Proxy.newProxyInstance(ExtensionContext.class.getClassLoader(),
        new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getUniqueId" -> "[engine:junit-jupiter]/" + uniqueId;
          case "getRequiredTestClass" -> ExtensionLifecycleTest.class;
          case "toString" -> "ExtensionContext " + uniqueId;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  /** A parameter context for one parameter of a method. */
  private static ParameterContext parameter(Parameter parameter) {
    Parameter[] all = parameter.getDeclaringExecutable().getParameters();
    int index = Arrays.asList(all).indexOf(parameter);
    return (ParameterContext) Proxy.newProxyInstance(ParameterContext.class.getClassLoader(),
        new Class<?>[] {ParameterContext.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getParameter" -> parameter;
          case "getIndex" -> index;
          case "getDeclaringExecutable" -> (Executable) parameter.getDeclaringExecutable();
          case "isAnnotated" -> parameter.isAnnotationPresent(BrokerUri.class)
              && args[0] == BrokerUri.class;
          case "findAnnotation" -> Optional.ofNullable(parameter.getAnnotation(BrokerUri.class));
          case "toString" -> "ParameterContext " + parameter;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
