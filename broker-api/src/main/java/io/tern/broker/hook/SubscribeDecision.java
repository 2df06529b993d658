package io.tern.broker.hook;

import io.tern.broker.message.QoS;
import io.tern.broker.message.ReasonCode;
import java.util.Objects;

/**
 * What a {@link SubscribeInterceptor} decided: grant (perhaps at a lower QoS) or refuse. A refused
 * filter gets 0x80 in an MQTT 3.1.1 SUBACK and the reason code in MQTT 5.
 */
public final class SubscribeDecision {
  private static final SubscribeDecision PROCEED = new SubscribeDecision(null, ReasonCode.SUCCESS);

  private final QoS grantedQos;
  private final ReasonCode reasonCode;

  private SubscribeDecision(QoS grantedQos, ReasonCode reasonCode) {
    this.grantedQos = grantedQos;
    this.reasonCode = reasonCode;
  }

  /** Grant the filter at the requested QoS. */
  public static SubscribeDecision proceed() {
    return PROCEED;
  }

  /** Grant the filter at most at this QoS; a higher value than requested changes nothing. */
  public static SubscribeDecision grant(QoS qos) {
    return new SubscribeDecision(Objects.requireNonNull(qos, "qos"), ReasonCode.SUCCESS);
  }

  /** Refuse the filter for this reason, such as {@link ReasonCode#NOT_AUTHORIZED}. */
  public static SubscribeDecision reject(ReasonCode reason) {
    Objects.requireNonNull(reason, "reason");
    if (!reason.isError()) {
      throw new IllegalArgumentException("a reject needs an error reason code, not " + reason);
    }
    return new SubscribeDecision(null, reason);
  }

  public boolean rejected() {
    return reasonCode.isError();
  }

  /** The highest QoS granted by this decision, or null for no limit (and for a refusal). */
  public QoS grantedQos() {
    return grantedQos;
  }

  public ReasonCode reasonCode() {
    return reasonCode;
  }
}
