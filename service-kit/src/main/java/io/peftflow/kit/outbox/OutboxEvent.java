package io.peftflow.kit.outbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** An event written in the same transaction as the state change it announces, relayed to Kafka later. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {
    /** The CloudEvent id: stable across redeliveries, so consumers de-duplicate on it. */
    @Id
    public String id;

    /** Insertion order from a database sequence: the relay sends a key's rows in this order. */
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(nullable = false)
    public String topic;

    /** Kafka record key: the aggregate id, so one aggregate's events stay in order on one partition. */
    @Column(name = "record_key", nullable = false)
    public String recordKey;

    @Column(nullable = false, columnDefinition = "text")
    public String payload;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "sent_at")
    public OffsetDateTime sentAt;

    /** Failed sends while Kafka was reachable. */
    @Column(nullable = false)
    public int attempts;

    @Column(name = "last_error", columnDefinition = "text")
    public String lastError;

    /** The correlation id of the request and the W3C trace context of the span that caused the event; Kafka record headers. */
    @Column(name = "request_id")
    public String requestId;

    @Column(name = "traceparent")
    public String traceparent;

    @Column(name = "tracestate", columnDefinition = "text")
    public String tracestate;

    /** Not retried before this (exponential backoff after a failure). */
    @Column(name = "next_attempt_at", nullable = false)
    public OffsetDateTime nextAttemptAt;

    /** Set once the row failed {@code max-attempts} times: never sent, counted as dead-lettered. */
    @Column(name = "dead_at")
    public OffsetDateTime deadAt;
}
