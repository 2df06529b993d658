package io.tern.broker.core.session;

import io.tern.broker.core.Metrics;
import io.tern.broker.core.delivery.Router;
import io.tern.broker.core.delivery.SharedRedirects;
import io.tern.broker.core.hook.Hooks;

/**
 * What every session shares: the limits it enforces, where it counts, whom it tells.
 *
 * @param outboundTopicAliases the most topic aliases the broker assigns on one MQTT 5 connection
 * @param router where members of share groups pass on messages they give up
 */
record SessionContext(int maxInflight, int maxQueuedMessages, int maxOutboundBytes, int outboundTopicAliases,
    Metrics metrics, Hooks hooks, Router router) {

  /** The share-group hand-over of a loop; that loop's thread only. */
  SharedRedirects redirects(int loopIndex) {
    return router.dispatcher(loopIndex).redirects();
  }
}
