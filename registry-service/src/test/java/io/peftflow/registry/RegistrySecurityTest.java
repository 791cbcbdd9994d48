package io.peftflow.registry;

import io.peftflow.events.Topics;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.kit.LocalStackKafka;
import io.peftflow.kit.storage.ObjectStore;
import io.peftflow.registry.catalog.AdapterVersion;
import io.peftflow.registry.registration.ForgedEvent;
import io.peftflow.registry.registration.RegistrationService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22's attacks on registry-service against the real stack: oversized free text, and forged training events —
 * one naming another tenant's objects (refused, nothing stored, dead-lettered), one with a wrong hash (refused without
 * revealing the stored hash or size).
 */
@QuarkusTest
class RegistrySecurityTest {
    private static final String TENANT = "reg-attacker";
    private static final String VICTIM = "reg-victim";

    @Inject
    ObjectStore store;

    @Inject
    RegistrationService registrations;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.training-events.topic")
    String trainingTopic;

    @Test
    void oversizedReasonIs400NamingTheField() {
        String reason = "x".repeat(2 << 20);
        given().header("X-Tenant", TENANT).contentType("application/json")
                .body(Map.of("version", 1, "reason", reason)).put("/adapters/a/aliases/champion").then()
                .statusCode(400).contentType("application/problem+json");
        given().header("X-Tenant", TENANT).contentType("application/json")
                .body(Map.of("version", 1, "reason", "x".repeat(1001))).put("/adapters/a/aliases/champion").then()
                .statusCode(400).body("errors.field", hasItem("reason")).body("detail", containsString("1000"));
        given().header("X-Tenant", TENANT).queryParam("reason", "x".repeat(1001)).delete("/adapters/a/aliases/champion")
                .then().statusCode(400).body("errors.field", hasItem("reason"));
    }

    /** The victim's genuine files, named (with their true hashes) in an event of the attacker's tenant. */
    @Test
    void anEventNamingAnotherTenantsObjectsIsRefusedAndDeadLettered() {
        String victimJob = "job-" + UUID.randomUUID();
        TrainedAdapter.publishFiles(store, VICTIM, victimJob);
        JobSucceeded genuine = TrainedAdapter.succeeded(VICTIM, "secret-adapter", victimJob, TrainedAdapter.BASE,
                TrainedAdapter.metrics(0.8, 0.5));
        String adapter = RegistrationTest.unique("stolen");
        String forgedJob = "job-" + UUID.randomUUID();
        JobSucceeded forged = new JobSucceeded(forgedJob, TENANT, adapter, genuine.adapterFiles(), genuine.manifest(),
                null, genuine.metrics(), genuine.lineage(), genuine.trainableParameters(), genuine.steps(),
                genuine.finishedAt(), null);
        assertThrows(ForgedEvent.class, () -> registrations.register(forged));

        AdapterEventsOnKafka.publish(bootstrap, trainingTopic, forged.key(), forged.toCloudEvent("/trainer-service"));
        assertTrue(deadLettered(forgedJob, Duration.ofSeconds(60)), "the forged event was not dead-lettered");
        given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "/versions").then().statusCode(404);
        assertTrue(store.list("peftflow-adapters", TENANT + "/" + adapter + "/").isEmpty(), "nothing copied");
    }

    @Test
    void aWrongHashIsRefusedWithoutRevealingTheStoredHashOrSize() {
        String adapter = RegistrationTest.unique("forged-hash");
        String jobId = "job-" + UUID.randomUUID();
        TrainedAdapter.publishFiles(store, TENANT, jobId);
        JobSucceeded job = TrainedAdapter.succeeded(TENANT, adapter, jobId, TrainedAdapter.BASE,
                TrainedAdapter.metrics(0.8, 0.5));
        JobSucceeded.StoredFile real = job.adapterFiles().get(1);
        AdapterVersion v = registrations.register(TrainedAdapter.withWrongHash(job));
        assertEquals("FAILED_REGISTRATION", v.status.name());
        assertFalse(v.failureReason.contains(real.sha256()) || v.failureReason.contains(Long.toString(real.bytes())),
                v.failureReason);
        String shown = given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "/versions/1").then()
                .statusCode(200).extract().asString();
        assertFalse(shown.contains(real.sha256()), shown);
    }

    private boolean deadLettered(String jobId, Duration timeout) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(LocalStackKafka.admin(bootstrap, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "registry-security-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.REGISTRY_DEAD_LETTERS));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value().contains(jobId)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
