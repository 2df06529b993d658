package io.tern.broker.core.codec;

import io.tern.broker.message.ReasonCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * SUBACK: one code per requested filter. In MQTT 3.1.1 a code is the granted QoS 0..2 or 0x80 for
 * failure; in MQTT 5 it is a reason code value (granted QoS 0..2 being 0x00..0x02 there too).
 *
 * @param properties the MQTT 5 SUBACK properties; {@link Properties#EMPTY} for 3.1.1
 */
public record SubAck(int packetId, byte[] returnCodes, Properties properties) implements Packet {
  public static final int FAILURE = 0x80;

  /** An MQTT 3.1.1 SUBACK, or an MQTT 5 one without properties. */
  public SubAck(int packetId, byte[] returnCodes) {
    this(packetId, returnCodes, Properties.EMPTY);
  }

  /** An MQTT 5 SUBACK. */
  public SubAck(int packetId, List<ReasonCode> reasonCodes, Properties properties) {
    this(packetId, ReasonCodes.toBytes(reasonCodes), properties);
  }

  public SubAck {
    Objects.requireNonNull(properties, "properties");
  }

  /** The codes read as MQTT 5 reason codes; null for a value that names none. */
  public List<ReasonCode> reasonCodes() {
    List<ReasonCode> codes = new ArrayList<>(returnCodes.length);
    for (byte code : returnCodes) {
      codes.add(ReasonCodes.of(code & 0xFF));
    }
    return codes;
  }

  /** Whether an MQTT 5 SUBACK may carry the reason code with this value [MQTT-3.9.3-2]. */
  public static boolean carries(int reasonCode) {
    ReasonCode code = ReasonCodes.of(reasonCode);
    return code != null && ReasonCodes.allowedIn(code, PacketType.SUBACK);
  }

  @Override
  public int type() {
    return PacketType.SUBACK;
  }
}
