package io.peftflow.gateway.config;

import io.peftflow.events.SecretPolicy;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway refuses to start outside the dev and test profiles when the secret it shows the services, the admin key
 * (when the admin API is on) or its database password is empty or a value written in the repository.
 */
@ApplicationScoped
public class SecretsAtStartup {
    void check(@Observes StartupEvent event, GatewayConfig gateway, Config config) {
        Map<String, Optional<String>> secrets = new LinkedHashMap<>();
        secrets.put("peftflow.gateway.upstream-secret", Optional.of(gateway.upstreamSecret()));
        gateway.adminKey().ifPresent(key -> secrets.put("peftflow.gateway.admin-key", Optional.of(key)));
        secrets.put("quarkus.datasource.password", config.getOptionalValue("quarkus.datasource.password", String.class));
        List<String> problems = SecretPolicy.problems(ConfigUtils.getProfiles(), secrets);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to start with unsafe secrets (SECURITY.md, \"Rotating each secret\"): "
                    + String.join("; ", problems));
        }
    }
}
