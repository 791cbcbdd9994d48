package io.peftflow.kit.outbox;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;

/**
 * Deletes sent outbox rows once they are older than {@code peftflow.outbox.retention}: a sent row is only kept to
 * look at what left and when. Pending and dead-lettered rows are never deleted here. Runs every
 * {@code retention-sweep-interval} in batches of {@code retention-batch-size}, one short transaction each, so that the
 * relay and the services' writes never wait on one long delete.
 */
@ApplicationScoped
public class OutboxRetention {
    private static final Logger LOG = Logger.getLogger(OutboxRetention.class);

    private final EntityManager em;
    private final OutboxConfig config;

    public OutboxRetention(EntityManager em, OutboxConfig config) {
        this.em = em;
        this.config = config;
    }

    @Scheduled(every = "${peftflow.outbox.retention-sweep-interval:10m}", delayed = "${peftflow.outbox.retention-sweep-interval:10m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        sweep();
    }

    /** Deletes the sent rows older than the retention; returns how many. */
    public long sweep() {
        OffsetDateTime before = OffsetDateTime.now().minus(config.retention());
        long deleted = 0;
        int batch;
        do {
            batch = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                    DELETE FROM outbox_event WHERE seq IN (
                        SELECT seq FROM outbox_event WHERE sent_at < ?1 ORDER BY sent_at LIMIT ?2)""")
                    .setParameter(1, before).setParameter(2, config.retentionBatchSize()).executeUpdate());
            deleted += batch;
        } while (batch == config.retentionBatchSize());
        if (deleted > 0) {
            LOG.infof("outbox: deleted %d sent events older than %s", deleted, config.retention());
        }
        return deleted;
    }
}
