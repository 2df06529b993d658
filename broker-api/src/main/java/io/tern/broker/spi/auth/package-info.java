/**
 * Authentication and authorization SPIs. An {@link io.tern.broker.spi.auth.Authenticator} decides
 * once per connection whether a client may connect, asynchronously; an {@link
 * io.tern.broker.spi.auth.Authorizer} decides for every publish and subscribe, synchronously and
 * without blocking.
 */
package io.tern.broker.spi.auth;
