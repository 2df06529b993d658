/**
 * The Tern broker API: the types embedding applications compile against, and the SPIs that
 * implementations and plugins provide. No dependencies.
 */
module io.tern.broker.api {
  exports io.tern.broker;
  exports io.tern.broker.admin;
  exports io.tern.broker.client;
  exports io.tern.broker.hook;
  exports io.tern.broker.message;
  exports io.tern.broker.spi;
  exports io.tern.broker.spi.auth;
  exports io.tern.broker.spi.store;

  uses io.tern.broker.spi.BrokerProvider;
}
