package io.tern.broker.core.session;

import io.tern.broker.core.Metrics;
import io.tern.broker.core.hook.Hooks;

/** What every session shares: the limits it enforces, where it counts, whom it tells. */
record SessionContext(int maxInflight, int maxQueuedMessages, int maxOutboundBytes, Metrics metrics, Hooks hooks) {}
