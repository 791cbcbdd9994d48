package io.peftflow.inference.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the preloaded base model is in memory: the first request then pays only for its adapter. */
@Readiness
@ApplicationScoped
public class BaseModelReadiness implements HealthCheck {
    private final Engine engine;

    public BaseModelReadiness(Engine engine) {
        this.engine = engine;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("base-model").status(engine.ready()).build();
    }
}
