package io.peftflow.kit.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Duration;

/**
 * The outbox's backlog, read once per relay poll and published as gauges ({@code peftflow_outbox_pending},
 * {@code peftflow_outbox_oldest_pending_age_seconds}, {@code peftflow_outbox_dead_lettered},
 * {@code peftflow_outbox_kafka_up}): a growing backlog or a dead-lettered row is what to alert on.
 */
@ApplicationScoped
public class OutboxBacklog {
    /** One reading: rows waiting to be sent, the oldest one's age, rows given up on. */
    public record Snapshot(long pending, Duration oldestPendingAge, long deadLettered) {
        static final Snapshot EMPTY = new Snapshot(0, Duration.ZERO, 0);
    }

    private final EntityManager em;
    private volatile Snapshot last = Snapshot.EMPTY;
    private volatile boolean kafkaUp = true;

    public OutboxBacklog(EntityManager em, MeterRegistry registry) {
        this.em = em;
        Gauge.builder("peftflow.outbox.pending", this, b -> b.last.pending())
                .description("Outbox events waiting to be sent to Kafka").register(registry);
        Gauge.builder("peftflow.outbox.oldest.pending.age", this, b -> b.last.oldestPendingAge().toMillis() / 1000.0)
                .baseUnit("seconds").description("Age of the oldest outbox event waiting to be sent").register(registry);
        Gauge.builder("peftflow.outbox.dead.lettered", this, b -> b.last.deadLettered())
                .description("Outbox events given up on after max-attempts failures (never sent)").register(registry);
        Gauge.builder("peftflow.outbox.kafka.up", this, b -> b.kafkaUp ? 1 : 0)
                .description("1 when the relay last reached Kafka, else 0").register(registry);
    }

    /** Reads the backlog (one query over the pending partial index) and keeps it for the gauges. */
    public Snapshot refresh() {
        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery("""
                        SELECT count(*) FILTER (WHERE dead_at IS NULL),
                               coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE dead_at IS NULL)), 0),
                               count(*) FILTER (WHERE dead_at IS NOT NULL)
                        FROM outbox_event WHERE sent_at IS NULL""").getSingleResult());
        long ageMs = Math.max(0, Math.round(((Number) row[1]).doubleValue() * 1000));
        last = new Snapshot(((Number) row[0]).longValue(), Duration.ofMillis(ageMs), ((Number) row[2]).longValue());
        return last;
    }

    public Snapshot last() {
        return last;
    }

    void kafkaUp(boolean up) {
        kafkaUp = up;
    }
}
