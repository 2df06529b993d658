package io.tern.broker.core.delivery;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A share-group member for tests: its connection state is set by hand, deliveries are recorded. */
final class FakeMember implements Subscriber {
  final String clientId;
  final int loopIndex;
  volatile boolean online = true;
  volatile boolean keepsMessages;
  /** Payloads delivered through its ordinary subscriptions. */
  final List<String> received = new CopyOnWriteArrayList<>();
  /** Payloads delivered to it as a member of a share group. */
  final List<String> shared = new CopyOnWriteArrayList<>();
  /** Set to check deliveries run on the owning loop. */
  volatile io.tern.broker.core.transport.EventLoop loop;

  FakeMember(String clientId, int loopIndex) {
    this.clientId = clientId;
    this.loopIndex = loopIndex;
  }

  @Override
  public int loopIndex() {
    return loopIndex;
  }

  @Override
  public String clientId() {
    return clientId;
  }

  @Override
  public boolean online() {
    return online;
  }

  @Override
  public boolean keepsMessages() {
    return keepsMessages;
  }

  @Override
  public void deliver(Message message, int options, int[] identifiers) {
    received.add(new String(message.payload(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public void deliverShared(Message message, int options, SharedGroup group) {
    if (loop != null && !loop.inLoop()) {
      throw new AssertionError(clientId + " got a shared delivery off its loop");
    }
    shared.add(new String(message.payload(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return clientId;
  }
}
