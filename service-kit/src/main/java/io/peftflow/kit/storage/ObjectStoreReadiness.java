package io.peftflow.kit.storage;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/** Ready when the S3 store answers and the service's buckets exist (creating them once it answers). */
@Readiness
@ApplicationScoped
public class ObjectStoreReadiness implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(ObjectStoreReadiness.class);

    private final ObjectStore store;
    private final ObjectStoreConfig config;

    public ObjectStoreReadiness(ObjectStore store, ObjectStoreConfig config) {
        this.store = store;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        try {
            store.ensureBuckets();
        } catch (ObjectStoreException e) {
            // Not fatal: the store may come up after us; readiness retries.
            LOG.warnf("object store not reachable at start-up: %s", e.getMessage());
        }
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("S3 object store").withData("endpoint", config.endpoint());
        try {
            if (!store.bucketsExist()) {
                store.ensureBuckets();
            }
            return response.up().build();
        } catch (ObjectStoreException e) {
            return response.down().withData("error", e.getMessage()).build();
        }
    }
}
