package io.peftflow.inference.events;

import io.peftflow.events.EventCodec;
import io.peftflow.events.adapter.AdapterEvent;
import io.peftflow.events.adapter.AdapterPromoted;
import io.peftflow.events.contract.AdapterRef;
import io.peftflow.inference.registry.ModelStack;
import io.peftflow.inference.registry.Resolutions;
import io.peftflow.inference.runtime.Engine;
import io.peftflow.inference.vllm.ChampionSync;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * registry-service's adapter events: any fact about an adapter (a promotion, a new version) drops that adapter's
 * resolved model names, so the next request asks the registry again and lands on the new champion. A promotion's new
 * champion is readied first ({@link Engine#warm}: loaded, one pass run), so requests move to a warm version; requests
 * already running keep the version they resolved. Beside a vLLM server, the event also moves vLLM to the new champion.
 */
@ApplicationScoped
public class AdapterEventsConsumer {
    private static final Logger LOG = Logger.getLogger(AdapterEventsConsumer.class);

    private final Resolutions resolutions;
    private final Engine engine;
    private final ChampionSync vllm;

    public AdapterEventsConsumer(Resolutions resolutions, Engine engine, ChampionSync vllm) {
        this.resolutions = resolutions;
        this.engine = engine;
        this.vllm = vllm;
    }

    /** Blocking (a worker thread, in order): readying a new champion takes a pass on its base. */
    @Incoming("adapter-events")
    @Blocking
    public void consume(String value) {
        AdapterEvent event;
        try {
            event = AdapterEvent.from(EventCodec.decode(value));
        } catch (IllegalArgumentException e) {
            LOG.warnf("ignoring an unreadable adapter event: %s", e.getMessage());
            return;
        }
        if (event instanceof AdapterPromoted p) {
            try {
                engine.warm(resolutions.resolve(p.tenant(), new ModelStack(List.of(AdapterRef.of(p.adapter(),
                        p.toVersion())))));
            } catch (RuntimeException e) {
                LOG.warnf("could not ready %s/%s v%d before requests move to it: %s", p.tenant(), p.adapter(),
                        p.toVersion(), e.getMessage());
            }
        }
        resolutions.invalidate(event.tenant(), event.adapter());
        vllm.adapterChanged(event.tenant(), event.adapter());
        LOG.infof("%s of %s/%s: its model names resolve afresh", event.type(), event.tenant(), event.adapter());
    }
}
