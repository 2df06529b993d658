package io.tern.broker.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link String} or {@link java.net.URI} parameter of a test or lifecycle method to
 * receive the URI that network clients connect to, such as {@code tcp://127.0.0.1:40123}.
 *
 * <pre>{@code
 * @Test
 * void connects(@BrokerUri String uri) throws MqttException {
 *   MqttClient client = new MqttClient(uri, "device-1", new MemoryPersistence());
 *   client.connect();
 * }
 * }</pre>
 *
 * @see TernBrokerExtension#uri()
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface BrokerUri {}
