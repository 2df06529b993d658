package io.tern.broker.core.session;

import io.tern.broker.core.Metrics;
/** The limits a session enforces, and where it counts what it drops. */
record SessionLimits(int maxInflight, int maxQueuedMessages, int maxOutboundBytes, Metrics metrics) {}
