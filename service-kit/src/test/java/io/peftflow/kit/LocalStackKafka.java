package io.peftflow.kit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

import java.util.HashMap;
import java.util.Map;

/**
 * Kafka clients of the tests' harness on the local stack (scripts/stack.sh), where every listener wants SASL. The
 * harness forges and reads events of any service, so it logs in as the stack's admin; {@link #user} logs in as one
 * service's user, to check what its ACLs allow.
 */
public final class LocalStackKafka {
    public static final String BOOTSTRAP = "127.0.0.1:" + System.getenv().getOrDefault("PEFTFLOW_KAFKA_PORT", "19092");
    /** scripts/stack.sh's KAFKA_ADMIN_PASSWORD. */
    private static final String ADMIN_PASSWORD = "admin-kafka-local";

    private LocalStackKafka() {
    }

    /** The stack's admin (a super user) at {@code bootstrap}, with {@code clientSettings}. */
    public static Map<String, Object> admin(String bootstrap, Map<String, Object> clientSettings) {
        return login(bootstrap, "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule", "admin",
                ADMIN_PASSWORD, clientSettings);
    }

    /** A SCRAM-SHA-512 user, as the services log in. */
    public static Map<String, Object> user(String bootstrap, String name, String password,
                                           Map<String, Object> clientSettings) {
        return login(bootstrap, "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule", name,
                password, clientSettings);
    }

    private static Map<String, Object> login(String bootstrap, String mechanism, String module, String name,
                                             String password, Map<String, Object> clientSettings) {
        Map<String, Object> all = new HashMap<>(clientSettings);
        all.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        all.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        all.put(SaslConfigs.SASL_MECHANISM, mechanism);
        all.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + name + "\" password=\"" + password + "\";");
        return all;
    }
}
