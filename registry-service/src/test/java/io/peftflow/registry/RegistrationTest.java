package io.peftflow.registry;

import io.micrometer.core.instrument.MeterRegistry;
import io.peftflow.events.adapter.AdapterEvent;
import io.peftflow.events.adapter.AdapterRegistrationFailed;
import io.peftflow.events.adapter.AdapterVersionRegistered;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.kit.storage.ObjectStore;
import io.peftflow.registry.catalog.AdapterVersion;
import io.peftflow.registry.registration.RegistrationService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registration from training events: idempotency, numbering under concurrency, hash and shape checks. */
@QuarkusTest
class RegistrationTest {
    static final String TENANT = "reg";

    @Inject
    ObjectStore store;

    @Inject
    RegistrationService registrations;

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.training-events.topic")
    String trainingTopic;

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    JobSucceeded job(String adapter, String base) {
        String jobId = "job-" + UUID.randomUUID();
        TrainedAdapter.publishFiles(store, TENANT, jobId);
        return TrainedAdapter.succeeded(TENANT, adapter, jobId, base, TrainedAdapter.metrics(0.8, 0.5));
    }

    @Test
    void theSameSucceededEventTwiceGivesOneVersion() {
        String adapter = unique("twice");
        JobSucceeded job = job(adapter, TrainedAdapter.BASE);
        for (int i = 0; i < 2; i++) {
            AdapterEventsOnKafka.publish(bootstrap, trainingTopic, job.key(), job.toCloudEvent("/trainer-service"));
        }
        List<AdapterEvent> registered = AdapterEventsOnKafka.await(bootstrap, TENANT, adapter, 1,
                e -> e instanceof AdapterVersionRegistered, Duration.ofSeconds(60));
        assertEquals(1, registered.size(), "one version-registered event");
        AdapterVersionRegistered event = (AdapterVersionRegistered) registered.get(0);
        event.validate(); // what trainer-service's intake checks (contract test: the real producer's event is accepted)
        assertEquals(1, event.version());
        assertEquals("champion", event.role());

        JsonPath versions = given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "/versions")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(1), versions.getList("data.version"));

        JsonPath v = given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "/versions/1")
                .then().statusCode(200).body("status", is("ready")).extract().jsonPath();
        assertEquals(job.jobId(), v.getString("lineage.jobId"));
        assertEquals("transactions", v.getString("lineage.dataset.name"));
        assertEquals("c".repeat(64), v.getString("lineage.baseModel.weightsSha256"));
        assertEquals(8, v.getInt("lineage.method.config.r"));
        assertEquals(0.8, v.getDouble("metrics.tuned.exactMatch"), 1e-9);
        assertEquals(0.5, v.getDouble("metrics.majority.exactMatch"), 1e-9);
        assertEquals(List.of("challenger", "champion"), v.getList("aliases"));
        List<String> names = v.getList("files.name");
        assertEquals(List.of("adapter_config.json", "adapter_model.safetensors", "manifest.json"), names);
        for (int i = 0; i < names.size(); i++) {
            String key = TENANT + "/" + adapter + "/v1/" + names.get(i);
            assertEquals("s3://peftflow-adapters/" + key, v.getString("files[" + i + "].uri"));
            assertEquals(job.adapterFiles().size() > i ? job.adapterFiles().get(i).sha256() : job.manifest().sha256(),
                    v.getString("files[" + i + "].sha256"));
            assertEquals(v.getString("files[" + i + "].sha256"),
                    store.stat("peftflow-adapters", key).orElseThrow().userMetadata().get("sha256"));
        }
        given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "@champion")
                .then().statusCode(200).body("version", is(1));
        // Registering the same job again directly is also a no-op.
        assertEquals(1, registrations.register(job).version);
    }

    /** Several jobs of one adapter registered at once (as with several partitions or replicas). */
    @Test
    void concurrentRegistrationsGetDistinctGaplessNumbers() throws Exception {
        String adapter = unique("concurrent");
        int n = 6;
        List<JobSucceeded> jobs = IntStream.range(0, n).mapToObj(i -> job(adapter, TrainedAdapter.BASE)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<AdapterVersion>> futures = new ArrayList<>();
            for (JobSucceeded j : jobs) {
                futures.add(pool.submit(() -> registrations.register(j)));
            }
            List<Integer> numbers = new ArrayList<>();
            for (Future<AdapterVersion> f : futures) {
                numbers.add(f.get().version);
            }
            numbers.sort(null);
            assertEquals(IntStream.rangeClosed(1, n).boxed().toList(), numbers);
        } finally {
            pool.shutdownNow();
        }
        JsonPath page = given().header("X-Tenant", TENANT).queryParam("limit", 4)
                .get("/adapters/" + adapter + "/versions").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(1, 2, 3, 4), page.getList("data.version"));
        given().header("X-Tenant", TENANT).queryParam("limit", 4).queryParam("after", page.getString("last_id"))
                .get("/adapters/" + adapter + "/versions").then().statusCode(200)
                .body("data.version", is(List.of(5, 6))).body("has_more", is(false));
    }

    @Test
    void anAdapterThatDoesNotFitItsBaseFailsRegistrationAndIsNeverServed() {
        String adapter = unique("shapes");
        JobSucceeded job = job(adapter, TrainedAdapter.WIDE_BASE);
        double failedBefore = meters.get("peftflow.registrations.failed").counter().count();
        AdapterVersion v = registrations.register(job);
        assertEquals("FAILED_REGISTRATION", v.status.name());
        assertEquals(failedBefore + 1, meters.get("peftflow.registrations.failed").counter().count(), 1e-9,
                "peftflow_registrations_failed_total, which the PrometheusRule alerts on");
        assertTrue(v.failureReason.contains("shape mismatch"), v.failureReason);
        assertTrue(v.failureReason.contains("lora_A.weight"), v.failureReason);

        given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "/versions/1").then().statusCode(200)
                .body("status", is("failed_registration")).body("failureReason", containsString("shape mismatch"));
        given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "/versions/1/download").then()
                .statusCode(409).contentType("application/problem+json");
        given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "/versions/1/files/adapter_config.json")
                .then().statusCode(409);
        given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "@champion").then().statusCode(404);
        given().header("X-Tenant", TENANT).queryParam("base_model", TrainedAdapter.WIDE_BASE).get("/adapters")
                .then().statusCode(200).body("data.name", is(List.of()));
        assertTrue(store.stat("peftflow-adapters", TENANT + "/" + adapter + "/v1/adapter_model.safetensors").isEmpty());
        List<AdapterEvent> failed = AdapterEventsOnKafka.await(bootstrap, TENANT, adapter, 1,
                e -> e instanceof AdapterRegistrationFailed, Duration.ofSeconds(30));
        assertTrue(((AdapterRegistrationFailed) failed.get(0)).reason().contains("shape mismatch"));
    }

    @Test
    void aFileWhoseHashDiffersFromTheEventFailsRegistration() {
        String adapter = unique("hash");
        AdapterVersion v = registrations.register(TrainedAdapter.withWrongHash(job(adapter, TrainedAdapter.BASE)));
        assertEquals("FAILED_REGISTRATION", v.status.name());
        assertTrue(v.failureReason.contains("adapter_model.safetensors") && v.failureReason.contains("SHA-256"),
                v.failureReason);
        assertTrue(store.stat("peftflow-adapters", TENANT + "/" + adapter + "/v1/adapter_config.json").isEmpty());
    }
}
