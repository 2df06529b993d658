package io.tern.broker.core.codec;

import java.util.List;
import java.util.Objects;

/**
 * SUBSCRIBE: at least one topic filter with its options.
 *
 * @param properties the MQTT 5 SUBSCRIBE properties (a Subscription Identifier, User Properties);
 *     {@link Properties#EMPTY} for 3.1.1
 */
public record Subscribe(int packetId, List<Request> requests, Properties properties)
    implements Packet {

  /** Retain Handling 0: send retained messages when the subscription is made. */
  public static final int SEND_RETAINED = 0;
  /** Retain Handling 1: send retained messages only if the subscription did not exist. */
  public static final int SEND_RETAINED_IF_NEW = 1;
  /** Retain Handling 2: send no retained messages when the subscription is made. */
  public static final int DO_NOT_SEND_RETAINED = 2;

  /** A SUBSCRIBE without properties, as MQTT 3.1.1 sends. */
  public Subscribe(int packetId, List<Request> requests) {
    this(packetId, requests, Properties.EMPTY);
  }

  public Subscribe {
    Objects.requireNonNull(properties, "properties");
  }

  /**
   * One topic filter and its subscription options. MQTT 3.1.1 has the maximum QoS alone; the
   * others are then false, false and {@link #SEND_RETAINED}, which is what 3.1.1 does.
   *
   * @param noLocal MQTT 5: do not send the client its own messages back
   * @param retainAsPublished MQTT 5: keep the RETAIN flag of the publisher when forwarding
   * @param retainHandling MQTT 5: 0, 1 or 2, see {@link #SEND_RETAINED} and the others
   */
  public record Request(
      String filter, int qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {

    /** A request with the maximum QoS alone, as MQTT 3.1.1 sends. */
    public Request(String filter, int qos) {
      this(filter, qos, false, false, SEND_RETAINED);
    }
  }

  @Override
  public int type() {
    return PacketType.SUBSCRIBE;
  }
}
