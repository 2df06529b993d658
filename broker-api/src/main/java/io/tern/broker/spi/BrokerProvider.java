package io.tern.broker.spi;

import io.tern.broker.BrokerBuilder;

/**
 * Supplies builders of a broker implementation; found by {@link java.util.ServiceLoader} from
 * {@link io.tern.broker.Broker#builder()}. Applications do not call it.
 */
public interface BrokerProvider {

  /** A new, independent builder. */
  BrokerBuilder builder();
}
