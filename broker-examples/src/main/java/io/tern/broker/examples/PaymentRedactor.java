package io.tern.broker.examples;

import io.tern.broker.hook.PublishContext;
import io.tern.broker.hook.PublishDecision;
import io.tern.broker.hook.PublishInterceptor;
import io.tern.broker.message.Message;
import io.tern.broker.message.ReasonCode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks card numbers and PINs in messages published under {@code payments/#} before the broker
 * routes them, so that no subscriber, logger or retained store ever holds them in clear.
 *
 * <pre>{@code
 * Broker broker = Broker.builder().addPublishInterceptor(new PaymentRedactor()).build();
 * }</pre>
 *
 * <p>Doing it in the broker rather than in each subscriber means a new subscriber cannot forget
 * to. Messages on other topics pass untouched, at no cost beyond a string comparison.
 */
public final class PaymentRedactor implements PublishInterceptor {

  /** The topics this interceptor inspects. */
  public static final String TOPIC_FILTER = "payments/#";

  /**
   * Any run of 13 to 19 digits, optionally grouped by single spaces or dashes. There is
   * deliberately no Luhn check: in a payments feed, masking an innocent long number is cheaper
   * than letting a real card number with a typo through. The look-arounds keep it from starting
   * or ending inside a longer number.
   */
  private static final Pattern CARD_NUMBER = Pattern.compile("(?<!\\d)\\d(?:[ -]?\\d){12,18}(?!\\d)");

  /**
   * A PIN, CVV or CVC value after its label, as in {@code "pin": "1234"}, {@code pin=1234} or
   * {@code CVV 123}. Only labelled values are masked: a bare four-digit number could be anything,
   * an amount or a year, and masking those would make the feed useless.
   */
  private static final Pattern PIN = Pattern.compile(
      "(?i)(\\b(?:pin|pin_?code|cvv2?|cvc2?)\\b\"?\\s*[:=]?\\s*\"?)\\d{3,6}(?!\\d)");

  /**
   * Masks every card number and labelled PIN in {@code text}. A card number keeps its last four
   * digits and its grouping, which support staff need to tell cards apart and which PCI DSS allows
   * to be shown; a PIN is replaced by a fixed {@code ****} so that not even its length leaks.
   */
  public static String redact(String text) {
    String withoutCards = CARD_NUMBER.matcher(text)
        .replaceAll(card -> Matcher.quoteReplacement(maskAllButLastFour(card.group())));
    return PIN.matcher(withoutCards).replaceAll("$1****");
  }

  /**
   * Replaces the payload of a message under {@code payments/} when it contains something to mask,
   * and keeps its topic, QoS and retain flag.
   */
  @Override
  public PublishDecision intercept(PublishContext context) {
    Message message = context.message();
    if (!isPaymentTopic(message.topic())) {
      return PublishDecision.proceed();
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(message.payload()))
          .toString();
    } catch (CharacterCodingException e) {
      // A binary payload cannot be searched for card numbers, so it cannot be shown to be clean:
      // failing closed keeps the promise that nothing under payments/ leaves the broker unmasked.
      return PublishDecision.reject(ReasonCode.PAYLOAD_FORMAT_INVALID);
    }
    String redacted = redact(text);
    if (redacted.equals(text)) {
      return PublishDecision.proceed();
    }
    return PublishDecision.modify(new Message(message.topic(), redacted.getBytes(StandardCharsets.UTF_8),
        message.qos(), message.retain()));
  }

  /** True for {@code payments} itself and everything below it, as the filter {@code payments/#} matches. */
  static boolean isPaymentTopic(String topic) {
    return topic.equals("payments") || topic.startsWith("payments/");
  }

  private static String maskAllButLastFour(String card) {
    StringBuilder masked = new StringBuilder(card);
    int digitsToKeep = 4;
    for (int i = masked.length() - 1; i >= 0; i--) {
      if (Character.isDigit(masked.charAt(i))) {
        if (digitsToKeep > 0) {
          digitsToKeep--;
        } else {
          masked.setCharAt(i, '*');
        }
      }
    }
    return masked.toString();
  }
}
