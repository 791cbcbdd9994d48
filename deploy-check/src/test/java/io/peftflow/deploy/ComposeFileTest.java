package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml as Debian's docker-compose (1.29, installed by ./peftflow test when absent) reads it: its
 * schema rejects unknown options, so `docker-compose config` passing is the schema check.
 */
class ComposeFileTest {

    @Test
    void dockerComposeAcceptsTheFile() {
        assertTrue(Repository.composeConfig().path("services").size() >= 10);
    }

    @Test
    void aMisspelledOptionFails(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path broken = dir.resolve("docker-compose.yml");
        Files.writeString(broken, Repository.read("docker-compose.yml")
                .replaceFirst("stop_grace_period:", "stop_grace_periods:"));
        Repository.CommandFailed failed = assertThrows(Repository.CommandFailed.class, () -> Repository.runIn(
                Repository.ROOT, Repository.COMPOSE_SECRETS, "docker-compose", "-f", broken.toString(),
                "--project-directory", Repository.ROOT.toString(), "config", "--quiet"));
        assertTrue(failed.getMessage().contains("stop_grace_periods"), failed.getMessage());
    }

    @Test
    void theGpuWorkerIsBehindAProfileWithAnNvidiaDevice() {
        JsonNode gpu = Repository.composeConfig().at("/services/trainer-worker-gpu");
        assertEquals("gpu", gpu.at("/profiles/0").asText());
        JsonNode device = gpu.at("/deploy/resources/reservations/devices/0");
        assertEquals("nvidia", device.path("driver").asText());
        assertTrue(device.path("capabilities").toString().contains("gpu"));
    }

    /** Every secret comes from the environment (.env, made by scripts/compose-secrets.sh) and has no default. */
    @Test
    void secretsHaveNoDefaults() {
        assertTrue(Repository.composeConfig().at("/services/gateway/environment").has("PEFTFLOW_GATEWAY_ADMIN_KEY"));
        String compose = Repository.read("docker-compose.yml");
        for (String secret : Repository.COMPOSE_SECRETS.keySet()) {
            assertTrue(compose.contains("${" + secret + ":?"), secret + " is required, without a default");
            assertTrue(Repository.read("scripts/compose-secrets.sh").contains(secret), secret + " is generated");
        }
    }

    @Test
    void servicesWaitForHealthyDataStores() {
        JsonNode services = Repository.composeConfig().path("services");
        for (String service : new String[] {"dataset-service", "trainer-api", "trainer-worker", "registry-service", "gateway"}) {
            JsonNode dependsOn = services.path(service).path("depends_on");
            assertEquals("service_healthy", dependsOn.at("/postgres/condition").asText(), service);
            assertEquals("service_healthy", dependsOn.at("/kafka/condition").asText(), service);
            assertEquals("service_completed_successfully", dependsOn.at("/minio-buckets/condition").asText(), service);
            assertEquals("service_completed_successfully", dependsOn.at("/kafka-access/condition").asText(), service);
        }
        // One-shot setup containers (buckets, Kafka's users and ACLs) exit; everything else has a health check.
        Set<String> oneShot = Set.of("minio-buckets", "kafka-access");
        services.properties().forEach(s -> assertTrue(oneShot.contains(s.getKey()) || s.getValue().has("healthcheck"),
                s.getKey() + " has a health check"));
    }
}
