/**
 * Built-in security: {@link io.tern.broker.core.auth.PasswordFileAuthenticator} checks user names
 * and passwords against a {@link io.tern.broker.core.auth.PasswordFile} of salted PBKDF2 hashes
 * made by {@link io.tern.broker.core.auth.PasswordHasher}, and {@link
 * io.tern.broker.core.auth.AclAuthorizer} decides publishes and subscriptions from mosquitto-style
 * access rules.
 */
package io.tern.broker.core.auth;
