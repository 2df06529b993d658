/**
 * A JUnit 5 extension that runs a Tern broker for tests.
 *
 * <pre>{@code
 * class DeviceGatewayTest {
 *   @RegisterExtension
 *   static final TernBrokerExtension broker = TernBrokerExtension.perClass();
 *
 *   @Test
 *   void relaysCommands(@BrokerUri String uri, TestClient client) {
 *     MessageRecorder commands = client.subscribe("devices/+/commands");
 *     new DeviceGateway(uri).send("lamp", "on");
 *     assertThat(commands.awaitOne().payloadAsString()).isEqualTo("on");
 *   }
 * }
 * }</pre>
 *
 * <p>{@link io.tern.broker.junit.TernBrokerExtension} starts and closes the broker and injects it,
 * its URI and a {@link io.tern.broker.junit.TestClient} into test methods; the client's
 * subscriptions record messages in a {@link io.tern.broker.junit.MessageRecorder}.
 */
package io.tern.broker.junit;
