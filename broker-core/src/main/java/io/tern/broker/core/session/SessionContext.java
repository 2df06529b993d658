package io.tern.broker.core.session;

import io.tern.broker.core.Metrics;
import io.tern.broker.core.hook.Hooks;

/**
 * What every session shares: the limits it enforces, where it counts, whom it tells.
 *
 * @param outboundTopicAliases the most topic aliases the broker assigns on one MQTT 5 connection
 */
record SessionContext(int maxInflight, int maxQueuedMessages, int maxOutboundBytes, int outboundTopicAliases,
    Metrics metrics, Hooks hooks) {}
