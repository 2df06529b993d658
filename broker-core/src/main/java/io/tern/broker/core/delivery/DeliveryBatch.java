package io.tern.broker.core.delivery;

/** One message for several subscribers of one loop: the command a loop sends another per publish. */
final class DeliveryBatch implements Runnable {
  private final Message message;
  private final Subscriber[] subscribers;
  private final int[] qos;

  DeliveryBatch(Message message, Subscriber[] subscribers, int[] qos) {
    this.message = message;
    this.subscribers = subscribers;
    this.qos = qos;
  }

  @Override
  public void run() {
    for (int i = 0; i < subscribers.length; i++) {
      subscribers[i].deliver(message, qos[i]);
    }
  }
}
