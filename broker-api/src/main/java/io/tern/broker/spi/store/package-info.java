/**
 * Storage SPIs: where the broker keeps state that outlives a connection.
 *
 * <p>The broker holds live state in memory on its event loops and writes every change that must
 * survive through these interfaces; at start it loads them back before it accepts clients. All
 * methods are called from event-loop threads and must not block: an implementation that does I/O
 * does it on its own threads and completes the returned stage there. Calls concerning one client
 * id are made in order from one thread. A stage that completes exceptionally is logged by the
 * broker; apart from that the broker chains nothing on the stages of changes (it does not wait for
 * them before acknowledging a client), so they may complete on any thread.
 */
package io.tern.broker.spi.store;
