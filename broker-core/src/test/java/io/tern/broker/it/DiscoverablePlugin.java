package io.tern.broker.it;

import io.tern.broker.hook.PublishDecision;
import io.tern.broker.message.Message;
import io.tern.broker.spi.PluginRegistry;
import io.tern.broker.spi.TernPlugin;

/** A plugin listed in this module's test META-INF/services: it tags payloads on "discovered/#". */
public final class DiscoverablePlugin implements TernPlugin {
  @Override
  public String id() {
    return "discoverable";
  }

  @Override
  public void register(PluginRegistry registry) {
    registry.addPublishInterceptor(context -> {
      Message message = context.message();
      return message.topic().startsWith("discovered/")
          ? PublishDecision.modify(new Message(message.topic(), (message.payloadAsString() + "+found").getBytes(),
              message.qos(), message.retain()))
          : PublishDecision.proceed();
    });
  }
}
