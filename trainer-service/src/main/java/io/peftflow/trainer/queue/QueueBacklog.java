package io.peftflow.trainer.queue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * The queue's backlog as gauges, read from {@code claimable_job} (the view the workers claim from and KEDA scales on)
 * every 15 s: {@code peftflow_jobs_claimable} and {@code peftflow_jobs_oldest_claimable_age_seconds}, how long the
 * oldest claimable job has waited for a worker (since its debounce ended, or since its lease expired). The
 * PrometheusRule in k8s/ alerts when that age grows: jobs queued too long.
 */
@ApplicationScoped
public class QueueBacklog {
    private record Snapshot(long claimable, double oldestAgeSeconds) {
    }

    private final EntityManager em;
    private volatile Snapshot last = new Snapshot(0, 0);

    public QueueBacklog(EntityManager em, MeterRegistry meters) {
        this.em = em;
        Gauge.builder("peftflow.jobs.claimable", this, b -> b.last.claimable())
                .description("Jobs a worker may claim now (queued past their debounce, or with an expired lease)")
                .register(meters);
        Gauge.builder("peftflow.jobs.oldest.claimable.age", this, b -> b.last.oldestAgeSeconds()).baseUnit("seconds")
                .description("How long the oldest claimable job has waited for a worker").register(meters);
    }

    @Scheduled(every = "${peftflow.trainer.backlog-interval:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refresh() {
        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery("""
                SELECT count(*), coalesce(extract(epoch FROM now() - min(CASE WHEN status = 'QUEUED'
                                                                         THEN not_before ELSE lease_expires_at END)), 0)
                FROM claimable_job""").getSingleResult());
        last = new Snapshot(((Number) row[0]).longValue(), Math.max(0, ((Number) row[1]).doubleValue()));
    }
}
