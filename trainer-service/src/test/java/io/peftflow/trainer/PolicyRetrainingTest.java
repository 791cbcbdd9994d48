package io.peftflow.trainer;

import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.data.sample.TransactionDataset;
import io.peftflow.events.Topics;
import io.peftflow.events.training.JobQueued;
import io.peftflow.events.training.JobSucceeded;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

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

    /** The first {@code n} lines of a fixed generated set: versions that share, add or replace content. */
    private static String first(int n, long seed) {
        return TransactionDataset.jsonl(100, seed).lines().limit(n).map(l -> l + "\n").collect(Collectors.joining());
    }

    /** The policy job's JobQueued event: its change against the version the policy last trained on. */
    private JobQueued.DataChange queuedChange(String jobId) {
        List<JobQueued> queued = stack.read(Topics.TRAINING_EVENTS, r -> {
            CloudEvent e = EventCodec.decode(r.value());
            return e.type().equals(EventTypes.TRAINING_JOB_QUEUED) && e.subject().endsWith("/" + jobId)
                    ? EventCodec.payload(e, JobQueued.class) : null;
        }, l -> !l.isEmpty(), Duration.ofSeconds(30));
        assertEquals(1, queued.size());
        return queued.get(0).newData();
    }

    /**
     * New examples are counted by content against the version the policy last trained on: too few queue nothing, a
     * re-upload brings none, a superset exactly the added ones, a same-size replacement all of them (and drops all
     * the old ones); a newer version supersedes a queued job of an older one.
     */
    @Test
    void newExamplesAreCountedByContentAndNewerVersionsSupersede() {
        String dataset = TestStack.unique("sup");
        String validation = first(5, 1007);
        // A long debounce keeps the jobs queued, so no worker takes them during the test.
        Api.put(TENANT, "/fine-tuning/policies/" + dataset, policy(20, 3600)).then().statusCode(200);
        stack.known(TENANT, dataset, 1, first(10, 7), validation);   // 15 examples < 20: nothing
        stack.known(TENANT, dataset, 2, first(20, 7), validation);   // 25 >= 20: a job for v2
        stack.known(TENANT, dataset, 3, first(30, 7), validation);   // 10 new over v2 < 20: nothing
        stack.known(TENANT, dataset, 4, first(45, 7), validation);   // a superset, 25 new: v4's job, v2's superseded
        stack.known(TENANT, dataset, 5, first(45, 7), validation);   // a re-upload: 0 new, nothing
        TestStack.await(Duration.ofSeconds(20), "two policy jobs", () -> jobIds(dataset).size() == 2);
        List<String> ids = jobIds(dataset);
        JsonPath newest = Api.job(TENANT, ids.get(0));
        JsonPath older = Api.job(TENANT, ids.get(1));
        assertEquals(4, newest.getInt("dataset.version"));
        assertEquals("queued", newest.getString("status"));
        assertEquals(2, older.getInt("dataset.version"));
        assertEquals("cancelled", older.getString("status"));
        assertTrue(older.getString("error.message").contains("superseded by version 4"));
        assertEquals(new JobQueued.DataChange(0, 25, 0, true), queuedChange(ids.get(1)));
        assertEquals(new JobQueued.DataChange(2, 25, 0, true), queuedChange(ids.get(0)));

        // The same number of examples, every one replaced: all new, all of v4's dropped.
        stack.known(TENANT, dataset, 6, first(45, 8), first(5, 1008));
        TestStack.await(Duration.ofSeconds(20), "the replacement's job", () -> jobIds(dataset).size() == 3);
        String replacement = jobIds(dataset).get(0);
        assertEquals(6, Api.job(TENANT, replacement).getInt("dataset.version"));
        assertEquals(new JobQueued.DataChange(4, 50, 50, true), queuedChange(replacement));

        given().header("X-Tenant", TENANT).post("/fine-tuning/jobs/" + replacement + "/cancel").then().statusCode(200)
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
