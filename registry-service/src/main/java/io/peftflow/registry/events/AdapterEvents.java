package io.peftflow.registry.events;

import io.peftflow.events.Topics;
import io.peftflow.events.adapter.AdapterEvent;
import io.peftflow.kit.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Announces adapter facts through the outbox, in the transaction that makes them true. */
@ApplicationScoped
public class AdapterEvents {
    static final String SOURCE = "/registry-service";

    private final Outbox outbox;

    public AdapterEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void announce(AdapterEvent event) {
        outbox.enqueue(Topics.ADAPTER_EVENTS, event.key(), event.toCloudEvent(SOURCE));
    }
}
