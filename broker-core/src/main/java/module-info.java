/**
 * The Tern broker implementation. Applications reach it through {@code io.tern.broker.api}; the
 * only package it exports is the built-in security components, for tools that write password
 * files.
 */
module io.tern.broker.core {
  requires io.tern.broker.api;
  requires org.jctools.core;
  requires org.slf4j;

  exports io.tern.broker.core.auth;

  provides io.tern.broker.spi.BrokerProvider with io.tern.broker.core.runtime.TernBrokerProvider;

  uses io.tern.broker.spi.TernPlugin;
}
