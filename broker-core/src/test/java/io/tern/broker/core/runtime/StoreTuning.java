package io.tern.broker.core.runtime;

import io.tern.broker.BrokerBuilder;

/** Settings of the broker's own builder that tests need and the API does not offer. */
public final class StoreTuning {
  private StoreTuning() {}

  /** Lets the data directory be compacted once its files pass {@code bytes}. */
  public static BrokerBuilder compactionBytes(BrokerBuilder builder, long bytes) {
    return ((TernBrokerBuilder) builder).compactionBytes(bytes);
  }
}
