/**
 * In-process hooks: interceptors that see, change or refuse what clients publish and subscribe,
 * and listeners that are told what happens.
 *
 * <p>Every hook runs on the event loop of the client concerned (for the host's own publishes, the
 * loop that routes them), so it must return quickly and must not block; calls concerning one
 * client come from one thread, in order. Hooks run in the order they were added to the builder.
 * An interceptor that throws fails closed: the publish or subscription is refused and the failure
 * logged. A listener that throws is logged and otherwise ignored.
 */
package io.tern.broker.hook;
