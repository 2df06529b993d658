package io.tern.broker.core.session;

import io.tern.broker.core.Metrics;
import io.tern.broker.core.delivery.Router;
import io.tern.broker.core.delivery.SharedRedirects;
import io.tern.broker.core.hook.Hooks;
import io.tern.broker.core.store.memory.MemorySessionStore;
import io.tern.broker.spi.store.SessionStore;

/**
 * What every session shares: the limits it enforces, where it counts, whom it tells.
 *
 * @param outboundTopicAliases the most topic aliases the broker assigns on one MQTT 5 connection
 * @param router where members of share groups pass on messages they give up
 * @param store where persistent sessions keep their QoS 1 and 2 messages
 */
record SessionContext(int maxInflight, int maxQueuedMessages, int maxOutboundBytes, int outboundTopicAliases,
    Metrics metrics, Hooks hooks, Router router, SessionStore store) {

  /** Sessions whose messages live in memory only. */
  SessionContext(int maxInflight, int maxQueuedMessages, int maxOutboundBytes, int outboundTopicAliases,
      Metrics metrics, Hooks hooks, Router router) {
    this(maxInflight, maxQueuedMessages, maxOutboundBytes, outboundTopicAliases, metrics, hooks, router,
        new MemorySessionStore());
  }

  /** The share-group hand-over of a loop; that loop's thread only. */
  SharedRedirects redirects(int loopIndex) {
    return router.dispatcher(loopIndex).redirects();
  }
}
