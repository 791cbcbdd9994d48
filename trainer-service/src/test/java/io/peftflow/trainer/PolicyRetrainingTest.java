package io.peftflow.trainer;

import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.training.JobSucceeded;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retraining on new data: a dataset version under a policy becomes exactly one job, which trains and succeeds. */
@QuarkusTest
class PolicyRetrainingTest {
    private static final String TENANT = "policies";

    @Inject
    TestStack stack;

    private static String policy(int minNew, int debounce) {
        return """
                {"model": "tiny-llama",
                 "method": {"type": "lora", "hyperparameters": {"r": 4, "lora_alpha": 8, "target_modules": ["q_proj", "v_proj"]}},
                 "training": {"max_steps": 6, "batch_size": 8, "learning_rate": 0.01, "checkpoint_every_steps": 3},
                 "min_new_examples": %d, "debounce_seconds": %d}""".formatted(minNew, debounce);
    }

    private List<String> jobIds(String dataset) {
        return given().header("X-Tenant", TENANT).get("/fine-tuning/jobs?dataset=" + dataset).then().statusCode(200)
                .extract().jsonPath().getList("data.id", String.class);
    }

    /** The event delivered twice makes one job; it succeeds with its files in S3 and exactly one succeeded event. */
    @Test
    void newVersionTrainsOnceUnderItsPolicy() {
        String dataset = TestStack.unique("txn");
        Api.put(TENANT, "/fine-tuning/policies/" + dataset, policy(10, 0)).then().statusCode(200)
                .body("dataset", is(dataset)).body("min_new_examples", is(10));
        stack.announce(TENANT, dataset, 1, 40, 10, 2);

        TestStack.await(Duration.ofSeconds(30), "the policy's job", () -> jobIds(dataset).size() == 1);
        String id = jobIds(dataset).get(0);
        JsonPath job = Api.awaitStatus(TENANT, id, "trained", Duration.ofSeconds(300));
        assertEquals("policy", job.getString("origin"));
        assertEquals(1, job.getInt("dataset.version"));
        assertEquals(6, job.getInt("result.steps"));
        assertNotNull(job.get("result.metrics.majority.exact_match"));
        assertNotNull(job.get("result.metrics.tuned.macro_exact_match"));

        List<CloudEvent> events = stack.jobEvents(id, Duration.ofSeconds(60));
        List<CloudEvent> succeeded = events.stream().filter(e -> e.type().equals(EventTypes.TRAINING_JOB_SUCCEEDED)).toList();
        assertEquals(1, succeeded.size(), "exactly one job-succeeded event");
        JobSucceeded s = EventCodec.payload(succeeded.get(0), JobSucceeded.class);
        s.validate(); // what registry-service's intake checks (contract test: the real producer's event is accepted)
        assertEquals(dataset, s.lineage().dataset().name());
        assertNotNull(s.lineage().dataset().trainSha256());
        assertNotNull(s.lineage().baseModel().weightsSha256());
        assertTrue(s.adapterFiles().stream().anyMatch(f -> f.name().equals("adapter_model.safetensors")));
        assertTrue(s.adapterFiles().stream().anyMatch(f -> f.name().equals("adapter_config.json")));
        for (JobSucceeded.StoredFile f : s.adapterFiles()) {
            assertTrue(stack.exists(f.uri()), f.uri());
        }
        assertTrue(stack.exists(s.manifest().uri()));
        assertTrue(stack.exists(s.metricsFile().uri()));
        assertTrue(events.stream().anyMatch(e -> e.type().equals(EventTypes.TRAINING_JOB_QUEUED)));
        assertTrue(events.stream().anyMatch(e -> e.type().equals(EventTypes.TRAINING_JOB_STARTED)));
        assertTrue(events.stream().anyMatch(e -> e.type().equals(EventTypes.TRAINING_CHECKPOINT_SAVED)));

        // The redelivered event changed nothing, and the policy remembers what it trained.
        assertEquals(1, jobIds(dataset).size());
        given().header("X-Tenant", TENANT).get("/fine-tuning/policies/" + dataset).then().statusCode(200)
                .body("last_version", is(1));
    }

    /** Too little new data queues nothing; a newer version supersedes a queued job of an older one. */
    @Test
    void minimumNewExamplesAndSupersession() {
        String dataset = TestStack.unique("sup");
        // A long debounce keeps the jobs queued, so no worker takes them during the test.
        Api.put(TENANT, "/fine-tuning/policies/" + dataset, policy(20, 3600)).then().statusCode(200);
        stack.known(TENANT, dataset, 1, 10, 5);          // 15 examples < 20: nothing
        stack.known(TENANT, dataset, 2, 20, 5);          // 25 >= 20: a job for v2
        stack.known(TENANT, dataset, 3, 30, 5);          // 35 - 25 = 10 new < 20: nothing
        stack.known(TENANT, dataset, 4, 40, 10);         // 50 - 25 = 25: a job for v4, v2's is superseded
        TestStack.await(Duration.ofSeconds(20), "two policy jobs", () -> jobIds(dataset).size() == 2);
        List<String> ids = jobIds(dataset);
        JsonPath newest = Api.job(TENANT, ids.get(0));
        JsonPath older = Api.job(TENANT, ids.get(1));
        assertEquals(4, newest.getInt("dataset.version"));
        assertEquals("queued", newest.getString("status"));
        assertEquals(2, older.getInt("dataset.version"));
        assertEquals("cancelled", older.getString("status"));
        assertTrue(older.getString("error.message").contains("superseded by version 4"));
        given().header("X-Tenant", TENANT).post("/fine-tuning/jobs/" + ids.get(0) + "/cancel").then().statusCode(200)
                .body("status", is("cancelled"));
        given().header("X-Tenant", TENANT).delete("/fine-tuning/policies/" + dataset).then().statusCode(204);
        given().header("X-Tenant", TENANT).get("/fine-tuning/policies/" + dataset).then().statusCode(404);
    }

    @Test
    void badPolicyIsRejected() {
        String dataset = TestStack.unique("badpol");
        Api.put(TENANT, "/fine-tuning/policies/" + dataset, policy(10, 0).replace("\"r\": 4", "\"r\": 0")).then()
                .statusCode(422).body("errors[0].field", is("method.hyperparameters.r"));
        Api.put(TENANT, "/fine-tuning/policies/" + dataset, policy(-1, 0)).then()
                .statusCode(400).body("errors[0].field", is("min_new_examples"));
        given().header("X-Tenant", TENANT).get("/fine-tuning/policies/" + dataset).then().statusCode(404);
    }
}
