package io.tern.broker.message;

import java.util.Objects;

/**
 * One MQTT 5 User Property: a name and a value, both UTF-8 text. A message may carry the same
 * name several times; order is kept from publisher to subscriber.
 */
public record UserProperty(String name, String value) {
  public UserProperty {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
