package io.tern.broker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.junit.BrokerUri;
import io.tern.broker.junit.TernBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link PaymentRedactor} in a broker, seen by network clients, and the example's main path. */
@Timeout(30)
class RedactingInterceptorExampleTest {
  @RegisterExtension
  static final TernBrokerExtension broker = TernBrokerExtension.perClass()
      .configure(builder -> builder.addPublishInterceptor(new PaymentRedactor()));

  private static final String CARD_PAYMENT = "{\"card\": \"4111 1111 1111 1111\", \"pin\": \"4821\", \"amount\": 1250}";
  private static final String CARD_PAYMENT_REDACTED =
      "{\"card\": \"**** **** **** 1111\", \"pin\": \"****\", \"amount\": 1250}";

  @Test
  void aPahoPublishersPaymentArrivesRedactedAtAPahoSubscriber(@BrokerUri String uri) throws Exception {
    try (Paho subscriber = Paho.connect(uri, "redact-subscriber");
        Paho terminal = Paho.connect(uri, "redact-terminal")) {
      subscriber.subscribe("payments/#", 1);

      terminal.publish("payments/terminal-1/authorizations", CARD_PAYMENT, 1, false);

      await().untilAsserted(() -> assertThat(subscriber.received).containsExactly(
          new Paho.Received("payments/terminal-1/authorizations", CARD_PAYMENT_REDACTED, 1, false)));
    }
  }

  @Test
  void otherTopicsAndPaymentsWithoutSecretsPassUnchanged(@BrokerUri String uri) throws Exception {
    try (Paho subscriber = Paho.connect(uri, "untouched-subscriber");
        Paho publisher = Paho.connect(uri, "untouched-publisher")) {
      subscriber.subscribe("orders/#", 1);
      subscriber.subscribe("payments/untouched/#", 1);

      publisher.publish("orders/42", CARD_PAYMENT, 1, false);
      publisher.publish("payments/untouched/settled", "{\"amount\": 1250, \"year\": 2026}", 1, false);

      await().untilAsserted(() -> assertThat(subscriber.received).containsExactlyInAnyOrder(
          new Paho.Received("orders/42", CARD_PAYMENT, 1, false),
          new Paho.Received("payments/untouched/settled", "{\"amount\": 1250, \"year\": 2026}", 1, false)));
    }
  }

  @Test
  void aRetainedPaymentIsKeptOnlyInItsRedactedForm(@BrokerUri String uri) throws Exception {
    try (Paho publisher = Paho.connect(uri, "retained-publisher")) {
      publisher.publish("payments/retained/last", "last card 5500-0000-0000-0004", 1, true);
    }
    try (Paho late = Paho.connect(uri, "retained-late-subscriber")) {
      late.subscribe("payments/retained/#", 1);

      await().untilAsserted(() -> assertThat(late.received).containsExactly(
          new Paho.Received("payments/retained/last", "last card ****-****-****-0004", 1, true)));
    }
  }

  @Test
  void aPaymentThatIsNotTextIsNotDelivered(@BrokerUri String uri) throws Exception {
    try (Paho subscriber = Paho.connect(uri, "binary-subscriber");
        Paho publisher = Paho.connect(uri, "binary-publisher")) {
      subscriber.subscribe("payments/binary", 1);

      publisher.publish("payments/binary", new byte[] {(byte) 0xC3, 0x28, '4', '1', '1', '1'}, 1, false);
      // Messages on one topic are routed in order, so once this one arrives the binary one had its chance.
      publisher.publish("payments/binary", "text", 1, false);

      await().untilAsserted(() -> assertThat(subscriber.received).isNotEmpty());
      assertThat(subscriber.received).extracting(Paho.Received::payload).containsExactly("text");
    }
  }

  @Test
  void redactsTheUsualWaysOfWritingCardNumbersAndPins() {
    assertThat(PaymentRedactor.redact("4111111111111111")).isEqualTo("************1111");
    assertThat(PaymentRedactor.redact("card=5500-0000-0000-0004;")).isEqualTo("card=****-****-****-0004;");
    assertThat(PaymentRedactor.redact("amex 3782 822463 10005 ok")).isEqualTo("amex **** ****** *0005 ok");
    assertThat(PaymentRedactor.redact("pin=1234")).isEqualTo("pin=****");
    assertThat(PaymentRedactor.redact("PIN: 987654, CVV 123")).isEqualTo("PIN: ****, CVV ****");
    assertThat(PaymentRedactor.redact("{\"cvc2\":\"321\"}")).isEqualTo("{\"cvc2\":\"****\"}");
  }

  @Test
  void leavesNumbersThatAreNeitherCardsNorLabelledPinsAlone() {
    assertThat(PaymentRedactor.redact("order 123456789012 of 2026, 1234 items, spin 5678"))
        .isEqualTo("order 123456789012 of 2026, 1234 items, spin 5678");
    // Card numbers have at most nineteen digits; a longer run is some other reference.
    assertThat(PaymentRedactor.redact("ref 41111111111111111111")).isEqualTo("ref 41111111111111111111");
  }

  @Test
  void theExamplePrintsTheRedactedSample() throws Exception {
    assertThat(RedactingInterceptorExample.publishSampleAndReceive()).isEqualTo(CARD_PAYMENT_REDACTED);
  }
}
