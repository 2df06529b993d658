package io.tern.broker.core.delivery;

import io.tern.broker.core.codec.PayloadFormat;
import io.tern.broker.core.codec.Properties;
import io.tern.broker.message.MessageProperties;
import io.tern.broker.message.QoS;
import io.tern.broker.message.UserProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Converts between the broker's messages and the public API's, in both directions. */
public final class ApiMessages {
  private ApiMessages() {}

  /** The API's view of a message, as delivered with this QoS and retain flag. */
  public static io.tern.broker.message.Message toApi(Message message, int qos, boolean retain) {
    return new io.tern.broker.message.Message(message.topic(), message.payload(), QoS.of(qos), retain,
        toApi(message.propertiesAt(System.nanoTime())));
  }

  /** A message the host application (or an interceptor) hands the broker. */
  public static Message toCore(io.tern.broker.message.Message message, String origin) {
    return Message.of(message.topic(), message.payload(), message.qos().value(), message.retain(),
        toCore(message.properties()), origin);
  }

  /**
   * An interceptor's version of a message: its properties where it changed them, otherwise the
   * original's exactly as they came, and the original's publisher and age.
   */
  public static Message changed(Message original, io.tern.broker.message.Message changed) {
    Message result = original.with(changed.topic(), changed.payload(), changed.qos().value(), changed.retain());
    if (changed.properties().equals(toApi(original.properties()))) {
      return result;
    }
    return new Message(result.topic(), result.topicUtf8(), result.payload(), result.qos(), result.retain(),
        toCore(changed.properties()), result.origin(), result.receivedNanos());
  }

  static MessageProperties toApi(Properties p) {
    if (p.isEmpty()) {
      return MessageProperties.NONE;
    }
    List<UserProperty> user = new ArrayList<>(p.userProperties().size());
    for (Properties.UserProperty property : p.userProperties()) {
      user.add(new UserProperty(property.name(), property.value()));
    }
    return new MessageProperties(
        Integer.valueOf(PayloadFormat.UTF_8).equals(p.payloadFormatIndicator()),
        Optional.ofNullable(p.messageExpiryInterval()).map(Duration::ofSeconds),
        Optional.ofNullable(p.contentType()),
        Optional.ofNullable(p.responseTopic()),
        Optional.ofNullable(p.correlationData()),
        user);
  }

  static Properties toCore(MessageProperties p) {
    if (p.equals(MessageProperties.NONE)) {
      return Properties.EMPTY;
    }
    Properties.Builder b = Properties.builder();
    if (p.utf8Payload()) {
      b.payloadFormatIndicator(PayloadFormat.UTF_8);
    }
    p.expiry().ifPresent(d -> b.messageExpiryInterval(d.toSeconds()));
    p.contentType().ifPresent(b::contentType);
    p.responseTopic().ifPresent(b::responseTopic);
    p.correlationData().ifPresent(b::correlationData);
    for (UserProperty property : p.userProperties()) {
      b.userProperty(property.name(), property.value());
    }
    return b.build();
  }
}
