package io.tern.broker.core.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Facts about the interface a listener binds to. */
final class Interfaces {
  private Interfaces() {}

  /** True when the host names a loopback address; a name that does not resolve is not. */
  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
