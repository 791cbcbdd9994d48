package io.peftflow.kit.outbox;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.peftflow.events.PlatformHeaders;
import io.peftflow.kit.trace.StoredTrace;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Publishes pending outbox rows to Kafka, at least once (a crash between the broker's ack and the commit
 * resends; the stable event id lets consumers drop the copy). One thread polls every {@code poll-interval} and at once
 * when a transaction of this JVM that enqueued commits; the poll finds the rows of other replicas and of earlier runs.
 * <ul>
 *   <li><b>Per-key order across replicas.</b> One relay leader per database at a time: each poll takes a
 *   transaction-scoped PostgreSQL advisory lock, and a replica that does not get it skips the poll. The leader
 *   sends rows in {@code seq} order; a key's rows wait behind its earliest unsent row.</li>
 *   <li><b>A failing row does not block the others.</b> When the broker answers but refuses a row, that row
 *   backs off exponentially ({@code initial-backoff} doubling up to {@code max-backoff}) while other keys go on;
 *   after {@code max-attempts} such failures it is dead-lettered (kept, never sent, counted in the metrics,
 *   logged as an ALERT) and its key's later rows follow.</li>
 *   <li><b>A Kafka outage is not a row's fault.</b> When a send fails and the cluster does not answer a probe,
 *   no attempt is counted; the relay probes again with the same capped exponential backoff, logs a warning
 *   at once, an ALERT after {@code alert-after} (and every such interval), and resumes when Kafka is back.</li>
 * </ul>
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** The advisory lock that makes one replica the relay leader ("outbox" in ASCII). */
    static final long LEADER_LOCK = 0x6f7574626f78L;
    /** Unsent, not dead, due, and no earlier row of the same key is backing off. */
    private static final String CLAIM = """
            SELECT o.* FROM outbox_event o
            WHERE o.sent_at IS NULL AND o.dead_at IS NULL AND o.next_attempt_at <= ?1
              AND NOT EXISTS (SELECT 1 FROM outbox_event b
                              WHERE b.topic = o.topic AND b.record_key = o.record_key AND b.seq < o.seq
                                AND b.sent_at IS NULL AND b.dead_at IS NULL AND b.next_attempt_at > ?1)
            ORDER BY o.seq LIMIT ?2""";

    private final KafkaProducer<String, String> producer;
    private final OutboxConfig config;
    private final KafkaProbe probe;
    private final OutboxBacklog backlog;
    private final EntityManager em;
    private final Tracer tracer;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean stopping;
    private Thread thread;

    // Outage state; only the relay thread touches it.
    private Instant downSince;
    private Instant lastAlert;
    private int outageProbes;
    private Instant retryAt = Instant.MIN;

    public OutboxRelay(KafkaConnection connection, OutboxConfig config,
                       KafkaProbe probe, OutboxBacklog backlog, EntityManager em, Tracer tracer) {
        this.config = config;
        this.tracer = tracer;
        this.probe = probe;
        this.backlog = backlog;
        this.em = em;
        int timeoutMs = (int) config.sendTimeout().toMillis();
        this.producer = new KafkaProducer<>(connection.with(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000)),
                new StringSerializer(), new StringSerializer());
    }

    void onStart(@Observes StartupEvent event) {
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void onEnqueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.Enqueued event) {
        wake.release();
    }

    private void loop() {
        while (!stopping) {
            try {
                wake.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                poll();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The database may be away for a moment; the next poll tries again.
                LOG.errorf(e, "outbox relay poll");
            }
        }
    }

    private void poll() {
        if (stopping) {
            return;
        }
        OutboxBacklog.Snapshot snapshot = backlog.refresh();
        Instant now = Instant.now();
        if (downSince != null) {
            alertIfLong(now, snapshot);
            if (now.isBefore(retryAt)) {
                return;
            }
            if (!probe.reachable()) {
                outage(now, probe.lastError());
                return;
            }
            LOG.infof("outbox: Kafka reachable again after %s; relaying %d pending events", rounded(Duration.between(downSince, now)),
                    snapshot.pending());
            downSince = null;
            backlog.kafkaUp(true);
        }
        if (snapshot.pending() > 0) {
            Duration budget = config.sendTimeout().multipliedBy(2);
            int txSeconds = (int) budget.plus(config.sendTimeout()).plus(config.probeTimeout()).toSeconds() + 10;
            QuarkusTransaction.requiringNew().timeout(txSeconds).run(() -> relayBatch(budget));
        }
    }

    /** One leader's batch; returns early on an outage, and commits what was sent and what failed. */
    private void relayBatch(Duration budget) {
        boolean leader = (Boolean) em.createNativeQuery("SELECT pg_try_advisory_xact_lock(?1)")
                .setParameter(1, LEADER_LOCK).getSingleResult();
        if (!leader) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<OutboxEvent> rows = em.createNativeQuery(CLAIM, OutboxEvent.class)
                .setParameter(1, OffsetDateTime.now()).setParameter(2, config.batchSize()).getResultList();
        Set<String> blocked = new HashSet<>();
        long deadline = System.nanoTime() + budget.toNanos();
        for (OutboxEvent row : rows) {
            if (System.nanoTime() > deadline || stopping) {
                return;
            }
            if (blocked.contains(row.topic + '\n' + row.recordKey)) {
                continue;
            }
            Span span = publishSpan(row);
            try {
                producer.send(record(row, span)).get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
                row.sentAt = OffsetDateTime.now();
                row.lastError = null;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
                String error = describe(e);
                span.setStatus(StatusCode.ERROR, error);
                if (!probe.reachable()) {
                    outage(Instant.now(), error);
                    return;
                }
                blocked.add(row.topic + '\n' + row.recordKey);
                refused(row, error);
            } finally {
                span.end();
            }
        }
    }

    /**
     * The send of a row written in a trace: a producer span, child of the span that wrote the row, so the trace
     * goes on through the outbox; a no-op span for a row written outside any trace.
     */
    private Span publishSpan(OutboxEvent row) {
        StoredTrace written = StoredTrace.of(row.traceparent, row.tracestate);
        if (written == null) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder(row.topic + " publish").setParent(written.context()).setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka").setAttribute("messaging.destination.name", row.topic)
                .setAttribute("messaging.message.id", row.id).startSpan();
    }

    /**
     * The one place a row becomes a Kafka record: its correlation id, and as {@code traceparent}/{@code tracestate}
     * the send's span (the consumer's spans become its children).
     */
    ProducerRecord<String, String> record(OutboxEvent row, Span publish) {
        ProducerRecord<String, String> record = new ProducerRecord<>(row.topic, row.recordKey, row.payload);
        header(record, PlatformHeaders.REQUEST_ID, row.requestId);
        if (publish.getSpanContext().isValid()) {
            StoredTrace sent = StoredTrace.in(publish);
            header(record, PlatformHeaders.TRACEPARENT, sent.traceparent());
            header(record, PlatformHeaders.TRACESTATE, sent.tracestate());
        }
        return record;
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        if (value != null) {
            record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The broker answered but did not take the row: back off, or dead-letter after max-attempts. */
    private void refused(OutboxEvent row, String error) {
        row.attempts++;
        row.lastError = error;
        if (row.attempts >= config.maxAttempts()) {
            row.deadAt = OffsetDateTime.now();
            LOG.errorf("ALERT outbox: event %s (topic %s, key %s) dead-lettered after %d failed attempts; the key's"
                    + " later events are sent without it. Last error: %s", row.id, row.topic, row.recordKey, row.attempts, error);
        } else {
            Duration delay = backoff(row.attempts);
            row.nextAttemptAt = OffsetDateTime.now().plus(delay);
            LOG.warnf("outbox: Kafka refused event %s for %s (attempt %d of %d), retrying in %s: %s", row.id, row.topic,
                    row.attempts, config.maxAttempts(), rounded(delay), error);
        }
    }

    private void outage(Instant now, String error) {
        if (downSince == null) {
            downSince = now;
            lastAlert = null;
            outageProbes = 0;
            backlog.kafkaUp(false);
            LOG.warnf("outbox: Kafka unreachable (%s); events wait in the outbox and are sent once it is back", error);
        }
        outageProbes++;
        retryAt = now.plus(backoff(outageProbes));
    }

    private void alertIfLong(Instant now, OutboxBacklog.Snapshot snapshot) {
        Duration down = Duration.between(downSince, now);
        if (down.compareTo(config.alertAfter()) >= 0
                && (lastAlert == null || Duration.between(lastAlert, now).compareTo(config.alertAfter()) >= 0)) {
            lastAlert = now;
            LOG.errorf("ALERT outbox: Kafka unreachable for %s; %d events pending, the oldest %s old (%s)", rounded(down),
                    snapshot.pending(), rounded(snapshot.oldestPendingAge()), probe.lastError());
        }
    }

    /** {@code initial-backoff} doubled per failure after the first, at most {@code max-backoff}. */
    Duration backoff(int failures) {
        Duration delay = config.initialBackoff().multipliedBy(1L << Math.min(failures - 1, 30));
        return delay.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : delay;
    }

    private static String describe(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static String rounded(Duration d) {
        return Duration.ofMillis(d.toMillis() / 100 * 100).toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    void onStop(@Observes @jakarta.annotation.Priority(1) ShutdownEvent event) throws InterruptedException {
        stopping = true;
        if (thread != null) {
            wake.release();
            // A batch stops at its next row once stopping is set; a send in flight gets a moment to be acknowledged.
            thread.join(config.probeTimeout().toMillis());
        }
        producer.close(Duration.ofSeconds(5));
    }
}
