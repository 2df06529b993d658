package io.tern.broker.core.runtime;

import io.tern.broker.BrokerBuilder;
import io.tern.broker.spi.BrokerProvider;

/** The provider {@link io.tern.broker.Broker#builder()} finds through the service loader. */
public final class TernBrokerProvider implements BrokerProvider {
  @Override
  public BrokerBuilder builder() {
    return new TernBrokerBuilder();
  }
}
