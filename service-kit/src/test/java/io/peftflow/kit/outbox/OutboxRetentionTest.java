package io.peftflow.kit.outbox;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outbox retention on the real database (subclassed with {@code @QuarkusTest} by a service): a sweep deletes the sent
 * rows older than {@code peftflow.outbox.retention} and keeps recent sent rows, pending rows however old, and
 * dead-lettered rows.
 */
public abstract class OutboxRetentionTest {

    @Inject
    OutboxRetention retention;

    @Inject
    OutboxConfig config;

    @Inject
    EntityManager em;

    @Test
    void sentRowsPastTheRetentionAreDeletedAndNothingElse() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        OffsetDateTime old = OffsetDateTime.now().minus(config.retention()).minusHours(1);
        OffsetDateTime recent = OffsetDateTime.now().minus(config.retention()).plusHours(1);
        OffsetDateTime never = OffsetDateTime.now().plusYears(1); // the relay leaves the pending row alone
        insert(run + "-old-sent", old, old, null, old);
        insert(run + "-recent-sent", old, recent, null, old);
        insert(run + "-old-pending", old, null, null, never);
        insert(run + "-old-dead", old, null, old, old);

        assertTrue(retention.sweep() >= 1);

        @SuppressWarnings("unchecked")
        List<String> left = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT id FROM outbox_event WHERE id LIKE ?1 ORDER BY id").setParameter(1, run + "-%").getResultList());
        assertEquals(List.of(run + "-old-dead", run + "-old-pending", run + "-recent-sent"), left);
    }

    private void insert(String id, OffsetDateTime created, OffsetDateTime sent, OffsetDateTime dead, OffsetDateTime next) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                INSERT INTO outbox_event (id, topic, record_key, payload, created_at, sent_at, dead_at, next_attempt_at)
                VALUES (?1, 'peftflow.test-retention', ?1, '{}', CAST(?2 AS timestamptz),
                        CAST(NULLIF(?3, '') AS timestamptz), CAST(NULLIF(?4, '') AS timestamptz), CAST(?5 AS timestamptz))""")
                .setParameter(1, id).setParameter(2, text(created)).setParameter(3, text(sent)).setParameter(4, text(dead))
                .setParameter(5, text(next)).executeUpdate());
    }

    /** Timestamps go in as text: a null bound to a native query has no SQL type. */
    private static String text(OffsetDateTime t) {
        return t == null ? "" : t.toString();
    }
}
