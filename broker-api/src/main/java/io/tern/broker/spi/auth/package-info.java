/**
 * Authentication and authorization SPIs. An {@link io.tern.broker.spi.auth.Authenticator} decides
 * once per connection whether a client may connect, asynchronously, from its user name and
 * password or through an MQTT 5 enhanced authentication exchange (and again when such a client
 * re-authenticates); an {@link io.tern.broker.spi.auth.Authorizer} decides for every publish and
 * subscribe, synchronously and without blocking.
 */
package io.tern.broker.spi.auth;
