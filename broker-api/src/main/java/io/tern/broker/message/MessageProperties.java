package io.tern.broker.message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The MQTT 5 properties of an application message, which the broker forwards from publisher to
 * subscribers. MQTT 3.1.1 clients neither send nor receive them; a message from one has {@link
 * #NONE}. Immutable; the {@code with...} methods return changed copies.
 *
 * @param utf8Payload the Payload Format Indicator: true when the payload is UTF-8 text, which
 *     the broker then checks on messages from MQTT 5 clients
 * @param expiry the Message Expiry Interval, in whole seconds: the broker does not deliver the
 *     message once it has passed, and subscribers receive the time left
 * @param contentType the Content Type, such as a MIME type
 * @param responseTopic the Response Topic of a request
 * @param correlationData the Correlation Data of a request or response; copied in and out
 * @param userProperties the User Properties, in order
 */
public record MessageProperties(boolean utf8Payload, Optional<Duration> expiry, Optional<String> contentType,
    Optional<String> responseTopic, Optional<byte[]> correlationData, List<UserProperty> userProperties) {

  /** No properties: what every MQTT 3.1.1 message has. */
  public static final MessageProperties NONE =
      new MessageProperties(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of());

  public MessageProperties {
    Objects.requireNonNull(expiry, "expiry");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(responseTopic, "responseTopic");
    Objects.requireNonNull(correlationData, "correlationData");
    expiry.ifPresent(d -> {
      if (d.isNegative() || d.toSeconds() > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("expiry must be 0 to 4294967295 seconds: " + d);
      }
    });
    responseTopic.ifPresent(topic -> {
      if (topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
        throw new IllegalArgumentException("not a valid response topic: '" + topic + "'");
      }
    });
    correlationData = correlationData.map(byte[]::clone);
    userProperties = List.copyOf(userProperties);
  }

  @Override
  public Optional<byte[]> correlationData() {
    return correlationData.map(byte[]::clone);
  }

  public MessageProperties withUtf8Payload(boolean utf8) {
    return new MessageProperties(utf8, expiry, contentType, responseTopic, correlationData, userProperties);
  }

  public MessageProperties withExpiry(Duration after) {
    return new MessageProperties(utf8Payload, Optional.of(after), contentType, responseTopic, correlationData,
        userProperties);
  }

  public MessageProperties withContentType(String type) {
    return new MessageProperties(utf8Payload, expiry, Optional.of(type), responseTopic, correlationData,
        userProperties);
  }

  public MessageProperties withResponseTopic(String topic) {
    return new MessageProperties(utf8Payload, expiry, contentType, Optional.of(topic), correlationData,
        userProperties);
  }

  public MessageProperties withCorrelationData(byte[] data) {
    return new MessageProperties(utf8Payload, expiry, contentType, responseTopic, Optional.of(data),
        userProperties);
  }

  /** These properties with one more User Property after the others. */
  public MessageProperties withUserProperty(String name, String value) {
    List<UserProperty> more = new ArrayList<>(userProperties);
    more.add(new UserProperty(name, value));
    return new MessageProperties(utf8Payload, expiry, contentType, responseTopic, correlationData, more);
  }

  /** These properties with their User Properties replaced. */
  public MessageProperties withUserProperties(List<UserProperty> replacement) {
    return new MessageProperties(utf8Payload, expiry, contentType, responseTopic, correlationData, replacement);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageProperties p
        && utf8Payload == p.utf8Payload
        && expiry.equals(p.expiry)
        && contentType.equals(p.contentType)
        && responseTopic.equals(p.responseTopic)
        && Arrays.equals(correlationData.orElse(null), p.correlationData.orElse(null))
        && userProperties.equals(p.userProperties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(utf8Payload, expiry, contentType, responseTopic,
        Arrays.hashCode(correlationData.orElse(null)), userProperties);
  }

  @Override
  public String toString() {
    return "MessageProperties[utf8Payload=" + utf8Payload + ", expiry=" + expiry + ", contentType=" + contentType
        + ", responseTopic=" + responseTopic + ", correlationData="
        + correlationData.map(d -> d.length + " bytes").orElse("none") + ", userProperties=" + userProperties + "]";
  }
}
