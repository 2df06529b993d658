package io.tern.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.BrokerBuilder;
import io.tern.broker.client.ClientInfo;
import io.tern.broker.message.QoS;
import io.tern.broker.spi.auth.AccessDecision;
import io.tern.broker.spi.auth.Authorizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The authorizer chain, answered the MQTT 3.1.1 way. */
@Timeout(30)
class AuthorizationTest extends BrokerTest {

  /** Decides by the first topic level; abstains elsewhere. */
  private record ByPrefix(String prefix, AccessDecision decision) implements Authorizer {
    @Override
    public AccessDecision checkPublish(ClientInfo client, String topic, QoS qos, boolean retain) {
      return topic.startsWith(prefix) ? decision : AccessDecision.ABSTAIN;
    }

    @Override
    public AccessDecision checkSubscribe(ClientInfo client, String topicFilter, QoS qos) {
      return topicFilter.startsWith(prefix) ? decision : AccessDecision.ABSTAIN;
    }
  }

  @Override
  protected BrokerBuilder configure(BrokerBuilder builder) {
    return builder
        .addAuthorizer(new ByPrefix("secret", AccessDecision.DENY))
        .addAuthorizer(new ByPrefix("secret-but-allowed", AccessDecision.ALLOW)) // never asked: DENY came first
        .addAuthorizer(new Authorizer() {
          @Override
          public AccessDecision checkPublish(ClientInfo client, String topic, QoS qos, boolean retain) {
            if (topic.startsWith("broken")) {
              throw new IllegalStateException("authorizer failure for the test");
            }
            return client.clientId().equals("reader") ? AccessDecision.DENY : AccessDecision.ABSTAIN;
          }

          @Override
          public AccessDecision checkSubscribe(ClientInfo client, String topicFilter, QoS qos) {
            if (topicFilter.startsWith("broken")) {
              throw new IllegalStateException("authorizer failure for the test");
            }
            return AccessDecision.ABSTAIN;
          }
        });
  }

  @Test
  void aDeniedFilterIsRefusedInTheSuback() throws Exception {
    Paho client = connectPaho("subscriber");
    int[] granted = client.client.subscribeWithResponse(new String[] {"open/#", "secret/#", "broken/#"},
        new int[] {1, 1, 1}).getGrantedQos();
    assertThat(granted).containsExactly(1, 0x80, 0x80);
  }

  @Test
  void aDeniedPublishIsAcknowledgedButDeliveredToNobody() throws Exception {
    Paho subscriber = connectPaho("subscriber");
    subscriber.client.subscribe("#", 1);
    Paho publisher = connectPaho("publisher");
    Paho reader = connectPaho("reader");

    publisher.publish("secret/plans", "hidden", 1, false); // returns only once PUBACK arrived
    publisher.publish("secret/plans", "hidden", 2, false); // and this once PUBCOMP arrived
    publisher.publish("broken/x", "fails closed", 1, false);
    reader.publish("open/x", "readers may not write", 1, false);
    publisher.publish("open/x", "visible", 1, false);

    await().untilAsserted(() -> assertThat(subscriber.payloads()).containsExactly("visible"));
  }
}
