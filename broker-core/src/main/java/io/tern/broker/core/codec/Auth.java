package io.tern.broker.core.codec;

import io.tern.broker.message.ReasonCode;
import java.util.Objects;

/**
 * AUTH, MQTT 5 only: one step of an extended authentication exchange. The reason code is
 * {@link ReasonCode#SUCCESS}, {@link ReasonCode#CONTINUE_AUTHENTICATION} or
 * {@link ReasonCode#RE_AUTHENTICATE}; the method and data travel as properties.
 */
public record Auth(ReasonCode reasonCode, Properties properties) implements Packet {

  public Auth {
    Objects.requireNonNull(reasonCode, "reasonCode");
    Objects.requireNonNull(properties, "properties");
  }

  @Override
  public int type() {
    return PacketType.AUTH;
  }
}
