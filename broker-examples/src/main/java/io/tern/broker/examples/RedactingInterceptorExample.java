package io.tern.broker.examples;

import io.tern.broker.Broker;
import io.tern.broker.Subscription;
import io.tern.broker.message.Message;
import io.tern.broker.message.QoS;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A broker that masks card numbers and PINs in payment messages with a publish interceptor,
 * {@link PaymentRedactor}. Every subscriber, network client or in-process, gets the masked
 * payload; the clear one never leaves the interceptor.
 */
public final class RedactingInterceptorExample {
  static final String SAMPLE_TOPIC = "payments/terminal-12/authorizations";
  static final String SAMPLE_PAYLOAD = "{\"card\": \"4111 1111 1111 1111\", \"pin\": \"4821\", \"amount\": 1250}";

  private RedactingInterceptorExample() {}

  public static void main(String[] args) throws Exception {
    System.out.println("published: " + SAMPLE_PAYLOAD);
    System.out.println("delivered: " + publishSampleAndReceive());
  }

  /** Runs a broker with the redactor, publishes the sample payment, and returns the payload a subscriber got. */
  static String publishSampleAndReceive() throws Exception {
    // In-process handlers never run on broker threads; this one thread is where ours runs.
    ExecutorService handlerThread = Executors.newSingleThreadExecutor();
    // Port 0: the example must not collide with a broker already running on 1883.
    try (Broker broker = Broker.builder().port(0).addPublishInterceptor(new PaymentRedactor()).build().start()) {
      CompletableFuture<String> delivered = new CompletableFuture<>();
      Subscription subscription = broker.subscribe(PaymentRedactor.TOPIC_FILTER, QoS.AT_LEAST_ONCE,
          message -> delivered.complete(message.payloadAsString()), handlerThread);
      try {
        // The broker may refuse a message when it is too busy; report that rather than wait in vain.
        broker.publish(Message.of(SAMPLE_TOPIC, SAMPLE_PAYLOAD).withQos(QoS.AT_LEAST_ONCE))
            .exceptionally(failure -> {
              delivered.completeExceptionally(failure);
              return null;
            });
        // Delivery is asynchronous; bound the wait so that a broken example fails instead of hanging.
        return delivered.get(10, TimeUnit.SECONDS);
      } finally {
        subscription.close();
      }
    } finally {
      handlerThread.shutdownNow();
    }
  }
}
