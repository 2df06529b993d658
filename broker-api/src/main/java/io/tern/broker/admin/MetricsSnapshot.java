package io.tern.broker.admin;

/**
 * The broker's counters at one moment. Counts are since the broker started.
 *
 * @param connections client connections open now (CONNECT accepted)
 * @param messagesIn messages routed: published by clients, wills, and the host application
 * @param messagesOut PUBLISH packets written to clients, resends included
 * @param bytesIn bytes read from clients
 * @param bytesOut bytes written to clients
 * @param droppedQos0 QoS 0 messages not sent because the client was not reading fast enough
 * @param droppedQueueFull QoS 1 and 2 messages not queued because the session's queue was full
 * @param slowConsumerDisconnects clients disconnected for not reading
 * @param droppedTooLarge packets not sent because they exceeded the Maximum Packet Size the
 *     client announced (MQTT 5)
 * @param droppedExpired messages whose Message Expiry Interval passed before they could be sent,
 *     queued or retained (MQTT 5)
 * @param queuedMessages QoS 1 and 2 messages waiting in session queues now, for offline or busy
 *     clients (in flight ones not counted)
 */
public record MetricsSnapshot(int connections, long messagesIn, long messagesOut, long bytesIn, long bytesOut,
    long droppedQos0, long droppedQueueFull, long slowConsumerDisconnects, long droppedTooLarge,
    long droppedExpired, long queuedMessages) {}
