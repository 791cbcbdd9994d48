package io.peftflow.registry;

import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.dataset.DatasetVersionDeleted;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.kit.storage.ObjectStore;
import io.peftflow.registry.registration.RegistrationService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An adapter version trained on deleted data is marked and never promoted: one whose job's lineage says the data was
 * deleted while it trained, and one registered before dataset-service announced the deletion.
 */
@QuarkusTest
class DeletedDataTest {
    @Inject
    ObjectStore store;

    @Inject
    RegistrationService registrations;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.dataset-versions.topic")
    String datasetTopic;

    @Test
    void versionsTrainedOnDeletedDataAreMarkedAndNeverPromoted() throws Exception {
        String tenant = "deleted-" + UUID.randomUUID().toString().substring(0, 8);
        String adapter = "tx-lora";
        String first = "job-" + UUID.randomUUID();
        TrainedAdapter.publishFiles(store, tenant, first);
        assertEquals(1, registrations.register(TrainedAdapter.succeeded(tenant, adapter, first, TrainedAdapter.BASE,
                TrainedAdapter.metrics(0.5, 0.3))).version);

        // Better metrics, but the dataset version was deleted while the job trained.
        String second = "job-" + UUID.randomUUID();
        TrainedAdapter.publishFiles(store, tenant, second);
        JobSucceeded job = TrainedAdapter.succeeded(tenant, adapter, second, TrainedAdapter.BASE,
                TrainedAdapter.metrics(0.9, 0.3));
        JobSucceeded.Lineage l = job.lineage();
        JobSucceeded onDeleted = new JobSucceeded(job.jobId(), job.tenant(), job.adapterName(), job.adapterFiles(),
                job.manifest(), job.metricsFile(), job.metrics(), new JobSucceeded.Lineage(l.dataset(), l.baseModel(),
                l.method(), l.training(), l.seed(), l.libraries(), OffsetDateTime.now()), job.trainableParameters(),
                job.steps(), job.finishedAt(), job.trainedTokens());
        assertEquals(2, registrations.register(onDeleted).version);
        given().header("X-Tenant", tenant).get("/adapters/" + adapter + "/versions/2").then().statusCode(200)
                .body("status", is("ready")).body("datasetDeletedAt", notNullValue())
                .body("promotion", containsString("trained on dataset transactions v1, deleted"));
        given().header("X-Tenant", tenant).get("/adapters/" + adapter + "@champion").then().body("version", is(1));
        given().header("X-Tenant", tenant).contentType("application/json").body("{\"version\": 2, \"reason\": \"try\"}")
                .put("/adapters/" + adapter + "/aliases/champion").then().statusCode(409)
                .body("detail", containsString("which was deleted"));

        // Registered before the deletion: marked when dataset-service announces it.
        DatasetVersionDeleted deleted = new DatasetVersionDeleted(tenant, "transactions", 1, 1, OffsetDateTime.now());
        AdapterEventsOnKafka.publish(bootstrap, datasetTopic, tenant + "/transactions", EventCodec.wrap(
                "/dataset-service", EventTypes.DATASET_VERSION_DELETED, "datasets/" + tenant + "/transactions/1", deleted)
                .withId(DatasetVersionDeleted.eventId(tenant, "transactions", 1)));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (given().header("X-Tenant", tenant).get("/adapters/" + adapter + "/versions/1").then().statusCode(200)
                .extract().jsonPath().get("datasetDeletedAt") == null) {
            if (System.nanoTime() > deadline) {
                fail("version 1 not marked after the deletion");
            }
            Thread.sleep(250);
        }
        assertNotNull(given().header("X-Tenant", tenant).get("/adapters/" + adapter + "/versions/1").then()
                .extract().jsonPath().get("datasetDeletedAt"));
    }
}
