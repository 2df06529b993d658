package io.tern.broker.core.routing;

/** One (subscriber, QoS) entry of a trie node; immutable so readers can share it freely. */
final class Subscription<S> {

  private static final Subscription<?>[] NONE = new Subscription<?>[0];

  final S subscriber;
  final int qos;

  Subscription(S subscriber, int qos) {
    this.subscriber = subscriber;
    this.qos = qos;
  }

  @SuppressWarnings("unchecked")
  static <S> Subscription<S>[] none() {
    return (Subscription<S>[]) NONE;
  }

  @SuppressWarnings("unchecked")
  static <S> Subscription<S>[] newArray(int length) {
    return length == 0 ? none() : (Subscription<S>[]) new Subscription<?>[length];
  }
}
