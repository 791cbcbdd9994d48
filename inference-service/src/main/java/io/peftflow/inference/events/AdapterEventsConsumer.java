package io.peftflow.inference.events;

import io.peftflow.events.EventCodec;
import io.peftflow.events.adapter.AdapterEvent;
import io.peftflow.inference.registry.Resolutions;
import io.peftflow.inference.vllm.ChampionSync;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * registry-service's adapter events: any fact about an adapter (a promotion, a new version) drops that adapter's
 * resolved model names, so the next request asks the registry again and lands on the new champion. Requests already
 * running keep the version they resolved. Beside a vLLM server, the event also moves vLLM to the new champion.
 */
@ApplicationScoped
public class AdapterEventsConsumer {
    private static final Logger LOG = Logger.getLogger(AdapterEventsConsumer.class);

    private final Resolutions resolutions;
    private final ChampionSync vllm;

    public AdapterEventsConsumer(Resolutions resolutions, ChampionSync vllm) {
        this.resolutions = resolutions;
        this.vllm = vllm;
    }

    @Incoming("adapter-events")
    public void consume(String value) {
        AdapterEvent event;
        try {
            event = AdapterEvent.from(EventCodec.decode(value));
        } catch (IllegalArgumentException e) {
            LOG.warnf("ignoring an unreadable adapter event: %s", e.getMessage());
            return;
        }
        resolutions.invalidate(event.tenant(), event.adapter());
        vllm.adapterChanged(event.tenant(), event.adapter());
        LOG.infof("%s of %s/%s: its model names resolve afresh", event.type(), event.tenant(), event.adapter());
    }
}
