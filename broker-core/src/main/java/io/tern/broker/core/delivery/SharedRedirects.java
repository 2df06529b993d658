package io.tern.broker.core.delivery;

import java.util.ArrayList;
import java.util.List;

/**
 * Passes messages of shared subscriptions that one member gives up (its connection closed, its
 * session ended, or a delivery found it offline) to other members of their groups. Messages are
 * collected with {@link #offer} and sent with {@link #flush}: one command per target loop.
 *
 * <p>Loop thread only: each {@link Dispatcher} has one, for the members of its loop. Commands go
 * through the dispatcher's hand-over, so when a target loop's inbox is full they wait in the
 * dispatcher's overflow queue for that loop, in order with its publishes, and are retried every
 * cycle: never dropped, never waited for. What they hold is bounded by the sessions giving
 * messages up (their in-flight window and queue).
 */
public final class SharedRedirects {
  private final Dispatcher dispatcher;
  private final List<List<Entry>> pending;

  private record Entry(Message message, SharedGroup.Member member) {}

  SharedRedirects(Dispatcher dispatcher, int loopCount) {
    this.dispatcher = dispatcher;
    this.pending = new ArrayList<>(loopCount);
    for (int i = 0; i < loopCount; i++) {
      pending.add(new ArrayList<>());
    }
  }

  /**
   * Finds another member of the group for a message and keeps it for {@link #flush}.
   *
   * @param from the member giving it up, never chosen
   * @param allowOffline whether a member that is offline but keeps messages may take it, when no
   *     member is connected
   * @return false when no member may take it: the caller keeps it, or drops it
   */
  public boolean offer(Message message, SharedGroup group, Subscriber from, boolean allowOffline) {
    SharedGroup.Member member = group.pick(message, from, allowOffline);
    if (member == null) {
      return false;
    }
    pending.get(member.subscriber().loopIndex()).add(new Entry(message, member));
    return true;
  }

  /** Sends what {@link #offer} took: one command per loop, to run after what is queued there. */
  public void flush() {
    for (int target = 0; target < pending.size(); target++) {
      List<Entry> entries = pending.get(target);
      if (entries.isEmpty()) {
        continue;
      }
      Message[] messages = new Message[entries.size()];
      SharedGroup.Member[] members = new SharedGroup.Member[entries.size()];
      for (int i = 0; i < messages.length; i++) {
        messages[i] = entries.get(i).message();
        members[i] = entries.get(i).member();
      }
      entries.clear();
      dispatcher.handOver(target, () -> {
        for (int i = 0; i < messages.length; i++) {
          SharedGroup.Member member = members[i];
          member.subscriber().deliverShared(messages[i], member.optionsFor(messages[i]), member.group());
        }
      });
    }
  }
}
