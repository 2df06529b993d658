package io.tern.broker.core.delivery;

/** One message for several subscribers of one loop: the command a loop sends another per publish. */
final class DeliveryBatch implements Runnable {
  private final Message message;
  private final Subscriber[] subscribers;
  private final int[] options;
  private final int[][] identifiers;

  /** @param identifiers per subscriber, as {@link Subscriber#deliver} takes them; null when all are */
  DeliveryBatch(Message message, Subscriber[] subscribers, int[] options, int[][] identifiers) {
    this.message = message;
    this.subscribers = subscribers;
    this.options = options;
    this.identifiers = identifiers;
  }

  @Override
  public void run() {
    for (int i = 0; i < subscribers.length; i++) {
      subscribers[i].deliver(message, options[i], identifiers == null ? null : identifiers[i]);
    }
  }
}
