package io.tern.broker.core.session;

import io.tern.broker.core.delivery.Message;
import io.tern.broker.core.delivery.SharedGroup;

/** A QoS 1 or 2 message on its way to one client: queued, or in flight under a packet id. */
final class Outgoing {
  final Message message;
  final int qos;
  final boolean retain;
  /** The Subscription Identifiers to send with it; empty for none. */
  final int[] identifiers;
  /** The share group it was received through, which may pass it to another member; null for none. */
  final SharedGroup group;
  int packetId;
  /** Its id in the session store; 0 when it is not stored (the session is not persistent). */
  long storeId;
  /** PUBREC received: only the PUBREL/PUBCOMP exchange remains. */
  boolean released;

  Outgoing(Message message, int qos, boolean retain, int[] identifiers, SharedGroup group) {
    this.message = message;
    this.qos = qos;
    this.retain = retain;
    this.identifiers = identifiers;
    this.group = group;
  }
}
