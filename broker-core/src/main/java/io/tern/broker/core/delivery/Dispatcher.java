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
 * subscribers. Loop thread only.
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
  /** Subscribers matched by subscriptions with more than one identifier: rare, so kept apart. */
  private final Map<Subscriber, int[]> identifiers = new IdentityHashMap<>();
  private final List<List<Subscriber>> targets;
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
    this.overflow = new ArrayList<>(loops.length);
    for (int i = 0; i < loops.length; i++) {
      targets.add(new ArrayList<>());
      overflow.add(new ArrayDeque<>());
    }
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
    if (matched.isEmpty()) {
      return;
    }
    int own = loop.index();
    int messageQos = message.qos();
    for (Map.Entry<Subscriber, Integer> entry : matched.entrySet()) {
      Subscriber subscriber = entry.getKey();
      int options = entry.getValue();
      options = SubscriptionOptions.withQos(options, Math.min(messageQos, SubscriptionOptions.qos(options)));
      entry.setValue(options);
      int target = subscriber.loopIndex();
      if (target != own) {
        targets.get(target).add(subscriber);
        continue;
      }
      subscriber.deliver(message, options, identifiers.isEmpty() ? null : identifiers.get(subscriber));
    }
    for (int target = 0; target < loops.length; target++) {
      List<Subscriber> batch = targets.get(target);
      if (!batch.isEmpty()) {
        send(target, toBatch(message, batch), publisher);
        batch.clear();
      }
    }
    matched.clear();
    identifiers.clear();
  }

  private void onMatch(Subscriber subscriber, int options) {
    if (SubscriptionOptions.noLocal(options) && origin != null && origin.equals(subscriber.clientId())) {
      return; // [MQTT-3.8.3-3] not back to the connection that published it
    }
    Integer previous = matched.putIfAbsent(subscriber, options);
    if (previous != null) {
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

  private DeliveryBatch toBatch(Message message, List<Subscriber> batch) {
    Subscriber[] subscribers = batch.toArray(new Subscriber[0]);
    int[] options = new int[subscribers.length];
    int[][] ids = identifiers.isEmpty() ? null : new int[subscribers.length][];
    for (int i = 0; i < subscribers.length; i++) {
      options[i] = matched.get(subscribers[i]);
      if (ids != null) {
        ids[i] = identifiers.get(subscribers[i]);
      }
    }
    return new DeliveryBatch(message, subscribers, options, ids);
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
