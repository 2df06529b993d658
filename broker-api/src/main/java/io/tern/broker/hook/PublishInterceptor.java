package io.tern.broker.hook;

/**
 * Sees every message before it is routed: those clients publish (after authorization), wills,
 * and the host's own {@link io.tern.broker.Broker#publish}. See the package documentation for its
 * thread and failure rules.
 */
@FunctionalInterface
public interface PublishInterceptor {

  /**
   * Decides what happens to a message: proceed, proceed with a replacement, or stop it. The next
   * interceptor sees the replacement; the first that stops a message ends the chain.
   */
  PublishDecision intercept(PublishContext context);
}
