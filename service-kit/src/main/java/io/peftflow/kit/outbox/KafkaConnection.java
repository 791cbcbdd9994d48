package io.peftflow.kit.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.eclipse.microprofile.config.Config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the service's own Kafka clients (the relay's producer, the probe) connect: the bootstrap servers and SASL
 * settings of its messaging channels ({@code kafka.*}), so that they log in as the service's Kafka user too
 * (SECURITY.md "Least privilege").
 */
@ApplicationScoped
public class KafkaConnection {
    private static final List<String> KEYS = List.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
            CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SaslConfigs.SASL_MECHANISM, SaslConfigs.SASL_JAAS_CONFIG);
    private final Map<String, Object> settings = new HashMap<>();

    public KafkaConnection(Config config) {
        for (String key : KEYS) {
            config.getOptionalValue("kafka." + key, String.class).ifPresent(value -> settings.put(key, value));
        }
    }

    /** A client's configuration: the connection's settings and {@code clientSettings}. */
    public Map<String, Object> with(Map<String, Object> clientSettings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.putAll(clientSettings);
        return all;
    }

    public String bootstrapServers() {
        return (String) settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }
}
