package io.tern.broker.core.codec;

import static io.tern.broker.core.codec.PropertyId.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The properties of an MQTT 5 packet (section 2.2.2): an immutable value with one typed accessor
 * per property. An accessor returns null when the property is absent, so that absence and the
 * default value stay distinguishable; the protocol layer applies the defaults.
 *
 * <p>MQTT 3.1.1 packets carry none and use {@link #EMPTY}. Byte arrays are copied in and out so
 * that a decoded value can be shared between threads.
 */
public final class Properties {
  /** No properties: what every MQTT 3.1.1 packet has. */
  public static final Properties EMPTY = new Properties(new Object[LIMIT], List.of(), List.of());

  /** One User Property: a name and a value, both UTF-8 strings. Names may repeat. */
  public record UserProperty(String name, String value) {
    public UserProperty {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  // Single-valued properties indexed by identifier: Integer for byte, two-byte and variable byte
  // values, Long for four-byte ones (they are unsigned), String, or byte[].
  private final Object[] values;
  private final List<Integer> subscriptionIdentifiers;
  private final List<UserProperty> userProperties;

  private Properties(
      Object[] values, List<Integer> subscriptionIdentifiers, List<UserProperty> userProperties) {
    this.values = values;
    this.subscriptionIdentifiers = subscriptionIdentifiers;
    this.userProperties = userProperties;
  }

  /** A builder for properties to encode. */
  public static Builder builder() {
    return new Builder();
  }

  /** These properties without Subscription Identifiers; the same instance when they have none. */
  public Properties withoutSubscriptionIdentifiers() {
    return subscriptionIdentifiers.isEmpty() ? this : new Properties(values, List.of(), userProperties);
  }

  /** A builder that starts from these properties. */
  public Builder toBuilder() {
    Builder b = new Builder();
    System.arraycopy(values, 0, b.values, 0, LIMIT);
    b.subscriptionIdentifiers.addAll(subscriptionIdentifiers);
    b.userProperties.addAll(userProperties);
    return b;
  }

  /**
   * Whether a string can be sent as an MQTT UTF-8 string: no unpaired surrogate, no U+0000, at
   * most 65,535 bytes [MQTT-1.5.4-1, MQTT-1.5.4-2]. For values that come from outside the broker,
   * such as a plugin's Server Reference.
   */
  public static boolean isSendable(String s) {
    int bytes = Utf8.encodedLength(s);
    return bytes >= 0 && bytes <= 65_535 && s.indexOf('\0') < 0;
  }

  /** Whether bytes can be sent as MQTT Binary Data: at most 65,535 of them. */
  public static boolean isSendable(byte[] data) {
    return data.length <= 65_535;
  }

  /** Whether no property is present. */
  public boolean isEmpty() {
    return this == EMPTY
        || (subscriptionIdentifiers.isEmpty()
            && userProperties.isEmpty()
            && Arrays.stream(values).allMatch(Objects::isNull));
  }

  /**
   * The properties of an application message that a server forwards with it (Payload Format
   * Indicator, Message Expiry Interval, Content Type, Response Topic, Correlation Data, User
   * Properties), without the ones that concern one hop (Topic Alias, Subscription Identifier,
   * Will Delay Interval); this instance when there is nothing to leave out.
   */
  public Properties forwardable() {
    if (values[TOPIC_ALIAS.id] == null && values[WILL_DELAY_INTERVAL.id] == null
        && subscriptionIdentifiers.isEmpty()) {
      return this;
    }
    Builder b = new Builder();
    for (PropertyId id : new PropertyId[] {PAYLOAD_FORMAT_INDICATOR, MESSAGE_EXPIRY_INTERVAL, CONTENT_TYPE,
        RESPONSE_TOPIC, CORRELATION_DATA}) {
      b.values[id.id] = values[id.id];
    }
    b.userProperties.addAll(userProperties);
    return b.build();
  }

  /** Whether the property with this identifier is present. */
  boolean has(PropertyId id) {
    return switch (id) {
      case SUBSCRIPTION_IDENTIFIER -> !subscriptionIdentifiers.isEmpty();
      case USER_PROPERTY -> !userProperties.isEmpty();
      default -> values[id.id] != null;
    };
  }

  /** The raw value of a single-valued property, for the writer. */
  Object raw(PropertyId id) {
    return values[id.id];
  }

  /** 0x01: 0 for unspecified bytes, 1 for UTF-8 character data. */
  public Integer payloadFormatIndicator() {
    return (Integer) values[PAYLOAD_FORMAT_INDICATOR.id];
  }

  /** 0x02: the lifetime of the message in seconds, 0 to 4,294,967,295. */
  public Long messageExpiryInterval() {
    return (Long) values[MESSAGE_EXPIRY_INTERVAL.id];
  }

  /** 0x03: describes the payload, such as a MIME type. */
  public String contentType() {
    return (String) values[CONTENT_TYPE.id];
  }

  /** 0x08: the topic name for a response. */
  public String responseTopic() {
    return (String) values[RESPONSE_TOPIC.id];
  }

  /** 0x09: lets a requester match a response to its request. */
  public byte[] correlationData() {
    return copy((byte[]) values[CORRELATION_DATA.id]);
  }

  /**
   * 0x0B: the Subscription Identifiers, in packet order; empty when absent. A PUBLISH to a client
   * may carry several, a SUBSCRIBE at most one.
   */
  public List<Integer> subscriptionIdentifiers() {
    return subscriptionIdentifiers;
  }

  /** 0x0B: the first Subscription Identifier, or null; convenient for a SUBSCRIBE. */
  public Integer subscriptionIdentifier() {
    return subscriptionIdentifiers.isEmpty() ? null : subscriptionIdentifiers.get(0);
  }

  /** 0x11: seconds the session outlives the connection; 0xFFFFFFFF for never expiring. */
  public Long sessionExpiryInterval() {
    return (Long) values[SESSION_EXPIRY_INTERVAL.id];
  }

  /** 0x12: the client identifier a server assigned. */
  public String assignedClientIdentifier() {
    return (String) values[ASSIGNED_CLIENT_IDENTIFIER.id];
  }

  /** 0x13: the keep alive, in seconds, a server requires instead of the client's. */
  public Integer serverKeepAlive() {
    return (Integer) values[SERVER_KEEP_ALIVE.id];
  }

  /** 0x15: the name of the extended authentication method. */
  public String authenticationMethod() {
    return (String) values[AUTHENTICATION_METHOD.id];
  }

  /** 0x16: the data of the authentication exchange. */
  public byte[] authenticationData() {
    return copy((byte[]) values[AUTHENTICATION_DATA.id]);
  }

  /** 0x17: whether a server may send reason strings and user properties with successes too. */
  public Boolean requestProblemInformation() {
    return flag(REQUEST_PROBLEM_INFORMATION);
  }

  /** 0x18: seconds a server waits before publishing the Will. */
  public Long willDelayInterval() {
    return (Long) values[WILL_DELAY_INTERVAL.id];
  }

  /** 0x19: whether the client asks for Response Information in the CONNACK. */
  public Boolean requestResponseInformation() {
    return flag(REQUEST_RESPONSE_INFORMATION);
  }

  /** 0x1A: the basis for response topics a server offers. */
  public String responseInformation() {
    return (String) values[RESPONSE_INFORMATION.id];
  }

  /** 0x1C: another server the client may use. */
  public String serverReference() {
    return (String) values[SERVER_REFERENCE.id];
  }

  /** 0x1F: a human readable diagnostic. */
  public String reasonString() {
    return (String) values[REASON_STRING.id];
  }

  /** 0x21: how many unacknowledged QoS 1 and 2 PUBLISH packets the sender accepts, 1..65535. */
  public Integer receiveMaximum() {
    return (Integer) values[RECEIVE_MAXIMUM.id];
  }

  /** 0x22: the largest topic alias the sender accepts. */
  public Integer topicAliasMaximum() {
    return (Integer) values[TOPIC_ALIAS_MAXIMUM.id];
  }

  /** 0x23: the topic alias of a PUBLISH, 1..65535. */
  public Integer topicAlias() {
    return (Integer) values[TOPIC_ALIAS.id];
  }

  /** 0x24: the highest QoS a server supports, 0 or 1 (absent means 2). */
  public Integer maximumQos() {
    return (Integer) values[MAXIMUM_QOS.id];
  }

  /** 0x25: whether a server supports retained messages. */
  public Boolean retainAvailable() {
    return flag(RETAIN_AVAILABLE);
  }

  /** 0x26: the User Properties in packet order, duplicates kept; empty when absent. */
  public List<UserProperty> userProperties() {
    return userProperties;
  }

  /** 0x27: the largest packet the sender accepts, in bytes. */
  public Long maximumPacketSize() {
    return (Long) values[MAXIMUM_PACKET_SIZE.id];
  }

  /** 0x28: whether a server supports wildcard subscriptions. */
  public Boolean wildcardSubscriptionAvailable() {
    return flag(WILDCARD_SUBSCRIPTION_AVAILABLE);
  }

  /** 0x29: whether a server supports subscription identifiers. */
  public Boolean subscriptionIdentifierAvailable() {
    return flag(SUBSCRIPTION_IDENTIFIER_AVAILABLE);
  }

  /** 0x2A: whether a server supports shared subscriptions. */
  public Boolean sharedSubscriptionAvailable() {
    return flag(SHARED_SUBSCRIPTION_AVAILABLE);
  }

  private Boolean flag(PropertyId id) {
    Integer value = (Integer) values[id.id];
    return value == null ? null : value == 1;
  }

  private static byte[] copy(byte[] bytes) {
    return bytes == null ? null : bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Properties p
        && Arrays.deepEquals(values, p.values)
        && subscriptionIdentifiers.equals(p.subscriptionIdentifiers)
        && userProperties.equals(p.userProperties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.deepHashCode(values), subscriptionIdentifiers, userProperties);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Properties[");
    String sep = "";
    for (PropertyId id : PropertyId.ALL) {
      Object value =
          switch (id) {
            case SUBSCRIPTION_IDENTIFIER -> subscriptionIdentifiers.isEmpty() ? null : subscriptionIdentifiers;
            case USER_PROPERTY -> userProperties.isEmpty() ? null : userProperties;
            default -> values[id.id];
          };
      if (value != null) {
        s.append(sep).append(id.name().toLowerCase()).append('=');
        s.append(value instanceof byte[] b ? b.length + " bytes" : value);
        sep = ", ";
      }
    }
    return s.append(']').toString();
  }

  /**
   * Collects properties for a packet to encode. Setters check the value ranges the specification
   * gives and throw {@link IllegalArgumentException} outside them; which properties a packet may
   * carry is the caller's business.
   */
  public static final class Builder {
    private final Object[] values = new Object[LIMIT];
    private final List<Integer> subscriptionIdentifiers = new ArrayList<>(1);
    private final List<UserProperty> userProperties = new ArrayList<>(2);

    private Builder() {}

    public Builder payloadFormatIndicator(int value) {
      return flagByte(PAYLOAD_FORMAT_INDICATOR, value);
    }

    public Builder messageExpiryInterval(long seconds) {
      return fourByte(MESSAGE_EXPIRY_INTERVAL, seconds);
    }

    public Builder contentType(String value) {
      return string(CONTENT_TYPE, value);
    }

    public Builder responseTopic(String topic) {
      return string(RESPONSE_TOPIC, topic);
    }

    public Builder correlationData(byte[] data) {
      return binary(CORRELATION_DATA, data);
    }

    /** Adds a Subscription Identifier, 1..268,435,455. */
    public Builder subscriptionIdentifier(int id) {
      if (id < 1 || id > MqttEncoder.MAX_REMAINING_LENGTH) {
        throw new IllegalArgumentException("subscription identifier out of range: " + id);
      }
      subscriptionIdentifiers.add(id);
      return this;
    }

    public Builder sessionExpiryInterval(long seconds) {
      return fourByte(SESSION_EXPIRY_INTERVAL, seconds);
    }

    public Builder assignedClientIdentifier(String clientId) {
      return string(ASSIGNED_CLIENT_IDENTIFIER, clientId);
    }

    public Builder serverKeepAlive(int seconds) {
      return twoByte(SERVER_KEEP_ALIVE, seconds, 0);
    }

    public Builder authenticationMethod(String method) {
      return string(AUTHENTICATION_METHOD, method);
    }

    public Builder authenticationData(byte[] data) {
      return binary(AUTHENTICATION_DATA, data);
    }

    public Builder requestProblemInformation(boolean value) {
      return flagByte(REQUEST_PROBLEM_INFORMATION, value ? 1 : 0);
    }

    public Builder willDelayInterval(long seconds) {
      return fourByte(WILL_DELAY_INTERVAL, seconds);
    }

    public Builder requestResponseInformation(boolean value) {
      return flagByte(REQUEST_RESPONSE_INFORMATION, value ? 1 : 0);
    }

    public Builder responseInformation(String value) {
      return string(RESPONSE_INFORMATION, value);
    }

    public Builder serverReference(String value) {
      return string(SERVER_REFERENCE, value);
    }

    public Builder reasonString(String value) {
      return string(REASON_STRING, value);
    }

    /** 1..65535; 0 is a protocol error. */
    public Builder receiveMaximum(int value) {
      return twoByte(RECEIVE_MAXIMUM, value, 1);
    }

    public Builder topicAliasMaximum(int value) {
      return twoByte(TOPIC_ALIAS_MAXIMUM, value, 0);
    }

    /** 1..65535; 0 is a protocol error. */
    public Builder topicAlias(int alias) {
      return twoByte(TOPIC_ALIAS, alias, 1);
    }

    /** 0 or 1; a server supporting QoS 2 leaves the property out. */
    public Builder maximumQos(int qos) {
      return flagByte(MAXIMUM_QOS, qos);
    }

    public Builder retainAvailable(boolean value) {
      return flagByte(RETAIN_AVAILABLE, value ? 1 : 0);
    }

    /** Adds a User Property; the same name may be added again. */
    public Builder userProperty(String name, String value) {
      userProperties.add(new UserProperty(name, value));
      return this;
    }

    /** 1..4,294,967,295; 0 is a protocol error. */
    public Builder maximumPacketSize(long bytes) {
      if (bytes == 0) {
        throw new IllegalArgumentException("maximum packet size 0");
      }
      return fourByte(MAXIMUM_PACKET_SIZE, bytes);
    }

    public Builder wildcardSubscriptionAvailable(boolean value) {
      return flagByte(WILDCARD_SUBSCRIPTION_AVAILABLE, value ? 1 : 0);
    }

    public Builder subscriptionIdentifierAvailable(boolean value) {
      return flagByte(SUBSCRIPTION_IDENTIFIER_AVAILABLE, value ? 1 : 0);
    }

    public Builder sharedSubscriptionAvailable(boolean value) {
      return flagByte(SHARED_SUBSCRIPTION_AVAILABLE, value ? 1 : 0);
    }

    /** The properties collected; {@link #EMPTY} itself when there are none. */
    public Properties build() {
      if (subscriptionIdentifiers.isEmpty()
          && userProperties.isEmpty()
          && Arrays.stream(values).allMatch(Objects::isNull)) {
        return EMPTY;
      }
      return new Properties(
          values.clone(), List.copyOf(subscriptionIdentifiers), List.copyOf(userProperties));
    }

    /** Sets a single-valued property from the decoder, which has already checked the value. */
    Builder set(PropertyId id, Object value) {
      values[id.id] = value;
      return this;
    }

    /** Adds a repeatable property from the decoder. */
    void add(PropertyId id, Object value) {
      if (id == SUBSCRIPTION_IDENTIFIER) {
        subscriptionIdentifiers.add((Integer) value);
      } else {
        userProperties.add((UserProperty) value);
      }
    }

    private Builder flagByte(PropertyId id, int value) {
      if (value != 0 && value != 1) {
        throw new IllegalArgumentException(id + " must be 0 or 1: " + value);
      }
      return set(id, value);
    }

    private Builder twoByte(PropertyId id, int value, int min) {
      if (value < min || value > 0xFFFF) {
        throw new IllegalArgumentException(id + " out of range: " + value);
      }
      return set(id, value);
    }

    private Builder fourByte(PropertyId id, long value) {
      if (value < 0 || value > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException(id + " out of range: " + value);
      }
      return set(id, value);
    }

    private Builder string(PropertyId id, String value) {
      return set(id, Objects.requireNonNull(value, id.name()));
    }

    private Builder binary(PropertyId id, byte[] value) {
      return set(id, Objects.requireNonNull(value, id.name()).clone());
    }
  }
}
