package io.tern.broker.spi;

/**
 * An extension packaged on its own: it registers hooks, security and storage with a broker when
 * the broker is built. Added with {@link io.tern.broker.BrokerBuilder#plugin}, or found on the
 * class path through {@link java.util.ServiceLoader} ({@code
 * META-INF/services/io.tern.broker.spi.TernPlugin}) when the builder is told to {@link
 * io.tern.broker.BrokerBuilder#discoverPlugins()}.
 *
 * <p>Plugins register in order of {@link #priority()}, highest first; the hooks they add run in
 * that order too, and hooks added directly on the builder count as priority 0, ahead of plugins of
 * the same priority.
 */
public interface TernPlugin {

  /** A short, unique name, used in logs and error messages. */
  String id();

  /** Higher runs earlier; default 0. */
  default int priority() {
    return 0;
  }

  /**
   * Registers what this plugin provides. Called once, from {@link
   * io.tern.broker.BrokerBuilder#build()}, on the building thread.
   */
  void register(PluginRegistry registry);

  /** Releases what the plugin holds; called once when the broker is closed. */
  default void close() {}
}
