package io.peftflow.kit.secrets;

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
 * A service refuses to start outside the dev and test profiles when a secret it holds is empty or a value written in
 * the repository ({@link SecretPolicy}): a deployment that forgot to set one fails at once instead of running open.
 */
@ApplicationScoped
public class SecretsAtStartup {
    /** The secrets every service-kit service holds; the optional next gateway secret is checked when set. */
    static final List<String> REQUIRED = List.of(GatewaySecrets.CURRENT, "quarkus.datasource.password",
            "peftflow.s3.secret-key", "peftflow.kafka.password");

    void check(@Observes StartupEvent event, Config config) {
        Map<String, Optional<String>> secrets = new LinkedHashMap<>();
        // A service without a database (quarkus.datasource.jdbc=false, inference-service) holds no database password.
        boolean database = !"false".equals(config.getOptionalValue("quarkus.datasource.jdbc", String.class).orElse("true"));
        REQUIRED.stream().filter(name -> database || !name.startsWith("quarkus.datasource."))
                .forEach(name -> secrets.put(name, config.getOptionalValue(name, String.class)));
        config.getOptionalValue(GatewaySecrets.NEXT, String.class).ifPresent(v -> secrets.put(GatewaySecrets.NEXT, Optional.of(v)));
        List<String> problems = SecretPolicy.problems(ConfigUtils.getProfiles(), secrets);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to start with unsafe secrets (SECURITY.md, \"Rotating each secret\"): "
                    + String.join("; ", problems));
        }
    }
}
