package io.tern.broker.hook;

import io.tern.broker.message.ReasonCode;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A {@link PublishInterceptor} that answers later, for decisions that need a slow source (a rules
 * service, a database). Async interceptors run after all synchronous ones, in the order added.
 *
 * <p>{@link #intercept} is called on the publishing client's event loop and must return at once;
 * the stage may complete on any thread. While it is pending the broker reads nothing more from
 * that client, so the client's messages keep their order, and its acknowledgement waits for the
 * decision. Messages of the host application and wills are not held back that way: they may pass
 * one another while a decision is pending. When the stage has not completed after {@link
 * #timeout()}, {@link #onTimeout()} decides instead; a stage that fails, or a throw, rejects the
 * message and is logged.
 */
public interface AsyncPublishInterceptor {

  /** Starts deciding on a message. */
  CompletionStage<PublishDecision> intercept(PublishContext context);

  /** How long a decision may take; default 5 seconds. */
  default Duration timeout() {
    return Duration.ofSeconds(5);
  }

  /** The decision when {@link #timeout()} passes first; default a reject with {@link ReasonCode#UNSPECIFIED_ERROR}. */
  default PublishDecision onTimeout() {
    return PublishDecision.reject(ReasonCode.UNSPECIFIED_ERROR);
  }
}
