package io.peftflow.trainer.models;

import io.peftflow.kit.storage.ObjectStoreException;
import io.peftflow.trainer.TrainerConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.interceptor.Interceptor;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** At start-up of an api pod: the embedded tiny model becomes the default base model in the models bucket. */
@ApplicationScoped
public class DefaultModelRegistration {
    private static final Logger LOG = Logger.getLogger(DefaultModelRegistration.class);

    // After ObjectStoreReadiness (default priority) created the buckets.
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event, BaseModels models, TrainerConfig config) {
        if (!config.role().serves()) {
            return;
        }
        try {
            models.registerTiny(config.defaultBaseModel());
        } catch (ObjectStoreException e) {
            // Not fatal: S3 may come up after us; readiness reports it, and the next start registers.
            LOG.warnf("could not register the default base model %s: %s", config.defaultBaseModel(), e.getMessage());
        }
    }
}
