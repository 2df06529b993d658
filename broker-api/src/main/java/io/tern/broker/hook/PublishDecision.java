package io.tern.broker.hook;

import io.tern.broker.message.Message;
import io.tern.broker.message.ReasonCode;
import java.util.Objects;

/**
 * What a {@link PublishInterceptor} decided. A publisher is acknowledged as usual whatever the
 * decision: MQTT 3.1.1 cannot refuse a PUBLISH, and MQTT 5 clients get the reject's reason code in
 * the acknowledgement.
 */
public final class PublishDecision {
  /** The kinds of decision. */
  public enum Kind {
    /** Route the message as it is. */
    PROCEED,
    /** Route {@link #message()} instead. */
    MODIFY,
    /** Deliver it to nobody, and tell an MQTT 5 publisher {@link #reasonCode()}. */
    REJECT,
    /** Deliver it to nobody, silently. */
    DROP
  }

  private static final PublishDecision PROCEED = new PublishDecision(Kind.PROCEED, null, ReasonCode.SUCCESS);
  private static final PublishDecision DROP = new PublishDecision(Kind.DROP, null, ReasonCode.SUCCESS);

  private final Kind kind;
  private final Message message;
  private final ReasonCode reasonCode;

  private PublishDecision(Kind kind, Message message, ReasonCode reasonCode) {
    this.kind = kind;
    this.message = message;
    this.reasonCode = reasonCode;
  }

  /** Route the message unchanged. */
  public static PublishDecision proceed() {
    return PROCEED;
  }

  /** Route this message instead: another topic, payload, QoS, retain flag or MQTT 5 properties. */
  public static PublishDecision modify(Message replacement) {
    return new PublishDecision(Kind.MODIFY, Objects.requireNonNull(replacement, "replacement"), ReasonCode.SUCCESS);
  }

  /**
   * Deliver the message to nobody.
   *
   * @param reason an error code for MQTT 5 publishers, such as {@link ReasonCode#NOT_AUTHORIZED}
   */
  public static PublishDecision reject(ReasonCode reason) {
    Objects.requireNonNull(reason, "reason");
    if (!reason.isError()) {
      throw new IllegalArgumentException("a reject needs an error reason code, not " + reason);
    }
    return new PublishDecision(Kind.REJECT, null, reason);
  }

  /** Deliver the message to nobody, and tell the publisher nothing. */
  public static PublishDecision drop() {
    return DROP;
  }

  public Kind kind() {
    return kind;
  }

  /** The replacement message of a {@link Kind#MODIFY} decision; null otherwise. */
  public Message message() {
    return message;
  }

  /** The reason code of a {@link Kind#REJECT} decision; {@link ReasonCode#SUCCESS} otherwise. */
  public ReasonCode reasonCode() {
    return reasonCode;
  }

  @Override
  public String toString() {
    return "PublishDecision[" + kind + (kind == Kind.REJECT ? " " + reasonCode : "") + "]";
  }
}
