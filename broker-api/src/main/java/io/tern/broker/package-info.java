/**
 * The entry point of Tern: {@link io.tern.broker.Broker#builder()} builds a {@link
 * io.tern.broker.Broker} that speaks MQTT on a TCP port inside the host application.
 */
package io.tern.broker;
