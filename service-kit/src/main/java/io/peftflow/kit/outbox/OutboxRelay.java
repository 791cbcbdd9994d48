package io.peftflow.kit.outbox;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.LockOptions;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Publishes pending outbox rows to Kafka in creation order, marking each sent once the broker acknowledged it.
 * Delivery is at least once: a crash between ack and commit resends, and the stable event id lets consumers
 * drop the copy. Rows are locked with SKIP LOCKED so several replicas can relay side by side.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 100;

    private final KafkaProducer<String, String> producer;
    private final Duration sendTimeout;
    private volatile boolean stopping;

    public OutboxRelay(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                       @ConfigProperty(name = "peftflow.outbox.send-timeout", defaultValue = "10s") Duration sendTimeout) {
        this.sendTimeout = sendTimeout;
        int timeoutMs = (int) sendTimeout.toMillis();
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs,
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new StringSerializer());
    }

    @Scheduled(every = "${peftflow.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    public void relay() {
        if (stopping) {
            return;
        }
        List<OutboxEvent> batch = OutboxEvent.<OutboxEvent>find("sentAt is null order by createdAt, id")
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", LockOptions.SKIP_LOCKED)
                .page(0, BATCH).list();
        for (OutboxEvent row : batch) {
            row.attempts++;
            try {
                producer.send(new ProducerRecord<>(row.topic, row.recordKey, row.payload))
                        .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
                row.sentAt = OffsetDateTime.now();
                row.lastError = null;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                row.lastError = String.valueOf(e.getMessage());
                // Stop here to keep per-key order; the next poll retries from this row.
                LOG.warnf("outbox: Kafka did not take event %s for %s (attempt %d): %s",
                        row.id, row.topic, row.attempts, e.getMessage());
                return;
            }
        }
    }

    void onStop(@Observes @jakarta.annotation.Priority(1) ShutdownEvent event) {
        stopping = true;
        producer.close(Duration.ofSeconds(5));
    }
}
