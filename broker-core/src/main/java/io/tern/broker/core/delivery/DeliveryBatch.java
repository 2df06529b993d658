package io.tern.broker.core.delivery;

/** One message for several subscribers of one loop: the command a loop sends another per publish. */
final class DeliveryBatch implements Runnable {
  private final Message message;
  private final Subscriber[] subscribers;
  private final int[] options;
  private final int[][] identifiers;
  private final SharedGroup[] groups;

  /**
   * @param identifiers per subscriber, as {@link Subscriber#deliver} takes them; null when all are
   * @param groups per subscriber, the share group it was chosen in, or null for an ordinary
   *     subscription; null when none was chosen in a group
   */
  DeliveryBatch(Message message, Subscriber[] subscribers, int[] options, int[][] identifiers,
      SharedGroup[] groups) {
    this.message = message;
    this.subscribers = subscribers;
    this.options = options;
    this.identifiers = identifiers;
    this.groups = groups;
  }

  @Override
  public void run() {
    for (int i = 0; i < subscribers.length; i++) {
      SharedGroup group = groups == null ? null : groups[i];
      if (group != null) {
        subscribers[i].deliverShared(message, options[i], group);
      } else {
        subscribers[i].deliver(message, options[i], identifiers == null ? null : identifiers[i]);
      }
    }
  }
}
