package io.tern.broker.core.delivery;

import io.tern.broker.client.DisconnectReason;
import io.tern.broker.core.routing.MatchConsumer;
import io.tern.broker.core.routing.TopicTrie;
import io.tern.broker.core.transport.Connection;
import io.tern.broker.core.transport.EventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the messages published on one loop: matches them against the subscriptions, delivers to
 * this loop's subscribers directly and sends one {@link DeliveryBatch} to each other loop that has
 * subscribers. A matching share group adds one delivery to the member it picks, apart from that
 * member's own subscriptions. Loop thread only.
 *
 * <p>Overflow policy: when another loop's inbox is full, its batches wait here, in order, and the
 * publishing connection stops being read until they are all handed over, so TCP pushes back on
 * the publisher instead of the broker blocking or dropping acknowledged messages. Beyond {@code
 * overflowLimit} waiting batches per target, the publisher is disconnected.
 */
public final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final EventLoop loop;
  private final EventLoop[] loops;
  private final TopicTrie<Subscriber> subscriptions;
  private final int overflowLimit;
  private final Map<Subscriber, Integer> matched = new IdentityHashMap<>();
  /**
   * The keys of {@link #matched} in the order first matched: iterating the map's entry set would
   * allocate an entry object per delivery.
   */
  private final List<Subscriber> matchOrder = new ArrayList<>();
  /** Subscribers matched by subscriptions with more than one identifier: rare, so kept apart. */
  private final Map<Subscriber, int[]> identifiers = new IdentityHashMap<>();
  private final List<List<Subscriber>> targets;
  /** Share groups matched by the message being routed; each gets it once, for one member. */
  private final List<SharedGroup> groups = new ArrayList<>();
  private final List<List<SharedGroup.Member>> sharedTargets;
  private final SharedRedirects redirects;
  private final List<ArrayDeque<Runnable>> overflow;
  private final List<Connection> pausedPublishers = new ArrayList<>();
  private final ArrayDeque<Message> nested = new ArrayDeque<>();
  private final MatchConsumer<Subscriber> onMatch = this::onMatch;
  private int overflowing;
  private boolean routing;
  private String origin;

  Dispatcher(EventLoop loop, EventLoop[] loops, TopicTrie<Subscriber> subscriptions, int overflowLimit) {
    this.loop = loop;
    this.loops = loops;
    this.subscriptions = subscriptions;
    this.overflowLimit = overflowLimit;
    this.targets = new ArrayList<>(loops.length);
    this.sharedTargets = new ArrayList<>(loops.length);
    this.overflow = new ArrayList<>(loops.length);
    for (int i = 0; i < loops.length; i++) {
      targets.add(new ArrayList<>());
      sharedTargets.add(new ArrayList<>());
      overflow.add(new ArrayDeque<>());
    }
    this.redirects = new SharedRedirects(this, loops.length);
  }

  /** Where this loop's members of share groups pass on the messages they give up. Loop thread only. */
  public SharedRedirects redirects() {
    return redirects;
  }

  /** Registers the overflow retry with the loop; call once on the loop thread, before use. */
  public void install() {
    loop.addCycleTask(this::retryOverflow);
  }

  /**
   * Routes a message to every matching subscriber, one copy each at the highest QoS among its
   * matching subscriptions, capped by the message's QoS, leaving out subscriptions with No Local
   * set that belong to the publisher.
   *
   * @param publisher the connection it came from, paused when another loop cannot take it now;
   *     null for messages the broker publishes itself (wills)
   */
  public void publish(Message message, Connection publisher) {
    assert loop.inLoop() : "publish off its loop";
    if (routing) {
      // A delivery closed a connection whose will is published here: route it after this one,
      // since the scratch state below is in use.
      nested.add(message);
      return;
    }
    routing = true;
    try {
      route(message, publisher);
      Message next;
      while ((next = nested.poll()) != null) {
        route(next, null);
      }
    } finally {
      routing = false;
    }
  }

  private void route(Message message, Connection publisher) {
    origin = message.origin();
    subscriptions.match(message.topic(), onMatch);
    if (matched.isEmpty() && groups.isEmpty()) {
      return;
    }
    int own = loop.index();
    int messageQos = message.qos();
    for (int i = 0; i < matchOrder.size(); i++) {
      Subscriber subscriber = matchOrder.get(i);
      int target = subscriber.loopIndex();
      if (target != own) {
        targets.get(target).add(subscriber);
        continue;
      }
      subscriber.deliver(message, cappedOptions(subscriber, messageQos),
          identifiers.isEmpty() ? null : identifiers.get(subscriber));
    }
    pickMembers(message, own);
    for (int target = 0; target < loops.length; target++) {
      List<Subscriber> batch = targets.get(target);
      List<SharedGroup.Member> shared = sharedTargets.get(target);
      if (!batch.isEmpty() || !shared.isEmpty()) {
        send(target, toBatch(message, batch, shared), publisher);
        batch.clear();
        shared.clear();
      }
    }
    matched.clear();
    matchOrder.clear();
    identifiers.clear();
  }

  /** A matched subscriber's merged options, with the QoS capped by the message's. */
  private int cappedOptions(Subscriber subscriber, int messageQos) {
    int options = matched.get(subscriber);
    return SubscriptionOptions.withQos(options, Math.min(messageQos, SubscriptionOptions.qos(options)));
  }

  /**
   * One member per matching share group: its own copy, whatever else it subscribes to, since a
   * shared subscription is a subscription of its own (MQTT 5.0 section 4.8.2). No Local never
   * applies: a shared subscription cannot have it [MQTT-3.8.3-4].
   */
  private void pickMembers(Message message, int own) {
    for (int i = 0; i < groups.size(); i++) {
      SharedGroup group = groups.get(i);
      SharedGroup.Member member = group.pick(message, null, true);
      if (member == null) {
        continue;
      }
      int target = member.subscriber().loopIndex();
      if (target != own) {
        sharedTargets.get(target).add(member);
      } else {
        member.subscriber().deliverShared(message, member.optionsFor(message), group);
      }
    }
    groups.clear();
  }

  private void onMatch(Subscriber subscriber, int options) {
    if (subscriber instanceof SharedGroup group) {
      groups.add(group);
      return;
    }
    if (SubscriptionOptions.noLocal(options) && origin != null && origin.equals(subscriber.clientId())) {
      return; // [MQTT-3.8.3-3] not back to the connection that published it
    }
    Integer previous = matched.putIfAbsent(subscriber, options);
    if (previous == null) {
      matchOrder.add(subscriber);
    } else {
      matched.put(subscriber, merge(subscriber, previous, options));
    }
  }

  /** One delivery for overlapping subscriptions: the highest QoS and every identifier [MQTT-3.3.4-3]. */
  private int merge(Subscriber subscriber, int previous, int next) {
    int qos = Math.max(SubscriptionOptions.qos(previous), SubscriptionOptions.qos(next));
    boolean retainAsPublished = SubscriptionOptions.retainAsPublished(previous)
        || SubscriptionOptions.retainAsPublished(next);
    int id = SubscriptionOptions.identifier(previous);
    int nextId = SubscriptionOptions.identifier(next);
    if (id == 0) {
      id = nextId;
    } else if (nextId != 0 && nextId != id) {
      int[] known = identifiers.get(subscriber);
      if (known == null) {
        identifiers.put(subscriber, new int[] {id, nextId});
      } else {
        int[] more = Arrays.copyOf(known, known.length + 1);
        more[known.length] = nextId;
        identifiers.put(subscriber, more);
      }
    }
    return SubscriptionOptions.of(qos, false, retainAsPublished, id);
  }

  private DeliveryBatch toBatch(Message message, List<Subscriber> batch, List<SharedGroup.Member> shared) {
    int own = batch.size();
    int count = own + shared.size();
    Subscriber[] subscribers = new Subscriber[count];
    int[] options = new int[count];
    int[][] ids = identifiers.isEmpty() ? null : new int[count][];
    SharedGroup[] chosenIn = shared.isEmpty() ? null : new SharedGroup[count];
    for (int i = 0; i < own; i++) {
      subscribers[i] = batch.get(i);
      options[i] = cappedOptions(subscribers[i], message.qos());
      if (ids != null) {
        ids[i] = identifiers.get(subscribers[i]);
      }
    }
    for (int i = own; i < count; i++) {
      SharedGroup.Member member = shared.get(i - own);
      subscribers[i] = member.subscriber();
      options[i] = member.optionsFor(message);
      chosenIn[i] = member.group();
    }
    return new DeliveryBatch(message, subscribers, options, ids, chosenIn);
  }

  /**
   * Sends a command to a loop's inbox, behind the batches already waiting for it; when the inbox
   * is full it waits here like they do. Loop thread only.
   */
  void handOver(int target, Runnable command) {
    send(target, command, null);
  }

  private void send(int target, Runnable batch, Connection publisher) {
    ArrayDeque<Runnable> waiting = overflow.get(target);
    // Once one batch waits, later ones queue behind it so that order holds.
    if (waiting.isEmpty() && loops[target].execute(batch)) {
      return;
    }
    if (waiting.isEmpty()) {
      overflowing++;
    }
    waiting.add(batch);
    if (publisher != null && publisher.isOpen()) {
      if (waiting.size() > overflowLimit) {
        log.warn("disconnecting {}: event loop {} has not taken {} batches", publisher, target, waiting.size());
        publisher.close(DisconnectReason.OVERLOADED, "event loop " + target + " is not taking messages");
      } else if (!pausedPublishers.contains(publisher)) {
        publisher.pauseReading();
        pausedPublishers.add(publisher);
      }
    }
  }

  private void retryOverflow() {
    if (overflowing == 0) {
      return;
    }
    for (int target = 0; target < loops.length; target++) {
      ArrayDeque<Runnable> waiting = overflow.get(target);
      if (waiting.isEmpty()) {
        continue;
      }
      while (!waiting.isEmpty() && loops[target].execute(waiting.peek())) {
        waiting.poll();
      }
      if (waiting.isEmpty()) {
        overflowing--;
      }
    }
    if (overflowing == 0) {
      // Resuming hands over packets already read, which may publish and pause again: work on a copy.
      Connection[] paused = pausedPublishers.toArray(new Connection[0]);
      pausedPublishers.clear();
      for (Connection connection : paused) {
        connection.resumeReading();
      }
    }
  }
}
