package io.peftflow.kit.outbox;

import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.kit.trace.RequestTrace;
import io.peftflow.kit.trace.StoredTrace;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;

/**
 * Records events inside the caller's transaction; {@link OutboxRelay} publishes them after commit.
 * With Kafka down the caller's work still commits, and nothing announced is lost.
 */
@ApplicationScoped
public class Outbox {
    private final Event<Enqueued> enqueued;

    public Outbox(Event<Enqueued> enqueued) {
        this.enqueued = enqueued;
    }

    /** CDI event fired in the transaction that enqueued: the relay in this JVM sends at its commit, not at its next poll. */
    record Enqueued() {
    }

    /** Must run inside the transaction that makes the announced change. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(String topic, String recordKey, CloudEvent event) {
        OutboxEvent row = new OutboxEvent();
        row.id = event.id();
        row.topic = topic;
        row.recordKey = recordKey;
        row.payload = EventCodec.encode(event);
        row.createdAt = OffsetDateTime.now();
        RequestTrace.current().ifPresent(request -> row.requestId = request.requestId());
        // The span the event is written in (a request's, a consumed record's, a job's): the relay sends it on.
        StoredTrace trace = StoredTrace.current();
        if (trace != null) {
            row.traceparent = trace.traceparent();
            row.tracestate = trace.tracestate();
        }
        row.nextAttemptAt = row.createdAt;
        row.persist();
        enqueued.fire(new Enqueued());
    }
}
