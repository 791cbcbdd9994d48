package io.peftflow.kit.outbox;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Kafka's state as its own check ({@code /q/health/well}), not readiness: with Kafka down a service still
 * serves its API and its events wait in the outbox, so Kubernetes must not take it out of service. The data
 * carries the outbox backlog, the number to alert on.
 */
@Wellness
@ApplicationScoped
public class KafkaHealthCheck implements HealthCheck {
    private final KafkaProbe probe;
    private final OutboxBacklog backlog;
    private final String bootstrapServers;

    public KafkaHealthCheck(KafkaProbe probe, OutboxBacklog backlog,
                            KafkaConnection connection) {
        this.probe = probe;
        this.backlog = backlog;
        this.bootstrapServers = connection.bootstrapServers();
    }

    @Override
    public HealthCheckResponse call() {
        boolean up = probe.reachable();
        OutboxBacklog.Snapshot s = backlog.last();
        var response = HealthCheckResponse.named("Kafka (outbox relay)").status(up)
                .withData("bootstrap", bootstrapServers)
                .withData("outboxPending", s.pending())
                .withData("outboxOldestPendingSeconds", s.oldestPendingAge().toSeconds())
                .withData("outboxDeadLettered", s.deadLettered());
        if (!up && probe.lastError() != null) {
            response.withData("error", probe.lastError());
        }
        return response.build();
    }
}
