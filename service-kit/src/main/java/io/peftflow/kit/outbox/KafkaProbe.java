package io.peftflow.kit.outbox;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Whether the Kafka cluster answers at all: tells a broker outage (wait, back off) from a record the broker
 * refuses (that row's failure). Used by the relay and by the Kafka health check.
 */
@ApplicationScoped
public class KafkaProbe {
    private final Admin admin;
    private final Duration timeout;
    private volatile String lastError;

    public KafkaProbe(KafkaConnection connection, OutboxConfig config) {
        this.timeout = config.probeTimeout();
        int ms = (int) timeout.toMillis();
        this.admin = Admin.create(connection.with(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms,
                // Retry connecting at most once a second, so an outage does not flood the log.
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000)));
    }

    /** True when a broker answers a cluster description within the probe timeout. */
    public boolean reachable() {
        try {
            boolean up = !admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS).isEmpty();
            lastError = up ? null : "the cluster has no brokers";
            return up;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lastError = "interrupted";
            return false;
        } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            lastError = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            return false;
        }
    }

    /** Why the last probe failed, or null. */
    public String lastError() {
        return lastError;
    }

    void onStop(@Observes ShutdownEvent event) {
        admin.close(Duration.ofSeconds(2));
    }
}
