package io.peftflow.registry;

import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.Topics;
import io.peftflow.data.Sha256;
import io.peftflow.events.dataset.ContentHashes;
import io.peftflow.events.dataset.DatasetVersionDeleted;
import io.peftflow.events.dataset.DatasetVersionReady;
import io.peftflow.events.dataset.VersionCounts;
import io.peftflow.events.training.EvaluationRequested;
import io.peftflow.events.training.EvaluationSucceeded;
import io.peftflow.events.training.JobFailed;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.kit.storage.ObjectStore;
import io.peftflow.registry.registration.RegistrationService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Like-for-like promotion over Kafka: a challenger registered while there is a champion is not judged on its own
 * run; the registry requests an evaluation job on {@code peftflow.training-requests} and decides when the trainer's
 * answer arrives on {@code peftflow.training-events} — with a paired bootstrap, a better challenger is promoted, the
 * same weights are not, and a failed evaluation says why.
 */
@QuarkusTest
class EvaluationFlowTest {
    static final String TENANT = "evalflow";

    @Inject
    ObjectStore store;

    @Inject
    RegistrationService registrations;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.training-events.topic")
    String trainingEvents;

    @ConfigProperty(name = "mp.messaging.incoming.dataset-versions.topic")
    String datasetVersions;

    private String register(String adapter, double exactMatch) {
        String jobId = "job-" + UUID.randomUUID();
        TrainedAdapter.publishFiles(store, TENANT, jobId);
        JobSucceeded job = TrainedAdapter.succeeded(TENANT, adapter, jobId, TrainedAdapter.BASE,
                TrainedAdapter.metrics(exactMatch, 0.5));
        registrations.register(job);
        return jobId;
    }

    private JsonPath version(String adapter, int v) {
        return given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "/versions/" + v).then()
                .statusCode(200).extract().jsonPath();
    }

    private JsonPath awaitVersion(String adapter, int v, Predicate<JsonPath> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            last = version(adapter, v);
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        fail("v" + v + " of " + adapter + " not decided: " + (last == null ? null : last.prettify()));
        return null;
    }

    /** The n-th evaluation request of {@code adapter}, read back from Kafka and checked as the trainer checks it. */
    private EvaluationRequested request(String adapter, int n) {
        List<CloudEvent> records = AdapterEventsOnKafka.records(bootstrap, Topics.TRAINING_REQUESTS,
                TENANT + "/" + adapter, n, Duration.ofSeconds(30));
        assertEquals(n, records.size(), "evaluation requests on " + Topics.TRAINING_REQUESTS);
        CloudEvent e = records.get(n - 1);
        assertEquals(EventTypes.TRAINING_EVALUATION_REQUESTED, e.type());
        EvaluationRequested r = EventCodec.payload(e, EvaluationRequested.class);
        r.validate();
        return r;
    }

    private void answer(EvaluationSucceeded r) {
        AdapterEventsOnKafka.publish(bootstrap, trainingEvents, r.key(), r.toCloudEvent("/trainer-service"));
    }

    private static EvaluationSucceeded scores(EvaluationRequested r, double challenger, double champion) {
        return new EvaluationSucceeded(io.peftflow.events.training.JobIds.of(r.tenant(), r.requestId()), r.tenant(),
                r.requestId(), r.adapterName(), TrainedAdapter.SET,
                List.of(TrainedAdapter.score(r.candidates().get(0).version(), challenger),
                        TrainedAdapter.score(r.candidates().get(1).version(), champion)),
                new io.peftflow.events.training.RunMetrics.Baseline("groceries", 0.5, 0.2, 5), OffsetDateTime.now());
    }

    @Test
    void challengersAreDecidedOnTheSameSetWithAPairedBootstrap() {
        String adapter = RegistrationTest.unique("eval");
        register(adapter, 0.70);                                                  // v1: first -> champion
        given().header("X-Tenant", TENANT).contentType(ContentType.JSON)
                .body(Map.of("metric", "exact_match", "bootstrap", Map.of("samples", 1000, "seed", 7)))
                .put("/adapters/" + adapter + "/policy").then().statusCode(200);

        // v2: its run says 0.99 on its own split, but only the evaluation job's numbers count.
        String v2Job = register(adapter, 0.99);
        assertTrue(version(adapter, 2).getString("promotion").startsWith("awaiting evaluation job"));
        EvaluationRequested r2 = request(adapter, 1);
        assertEquals(List.of(2, 1), r2.candidates().stream().map(EvaluationRequested.Candidate::version).toList());
        assertEquals(v2Job, r2.candidates().get(0).jobId());
        assertEquals("transactions", r2.set().name(), "by default the challenger's validation split");
        assertEquals(1, r2.set().version());
        answer(scores(r2, 0.90, 0.70));
        JsonPath v2 = awaitVersion(adapter, 2, v -> v.get("decision") != null);
        assertEquals(List.of("challenger", "champion"), v2.getList("aliases"));
        assertEquals(0.20, v2.getDouble("decision.difference"), 1e-6);
        assertTrue(v2.getDouble("decision.interval.low") > 0, v2.prettify());
        assertTrue(v2.getString("promotion").contains("95% interval ["), v2.getString("promotion"));
        answer(scores(r2, 0.90, 0.70)); // redelivered: nothing moves twice

        // v3: the same weights as the champion: identical outcomes, not promoted.
        register(adapter, 0.95);
        EvaluationRequested r3 = request(adapter, 2);
        assertEquals(List.of(3, 2), r3.candidates().stream().map(EvaluationRequested.Candidate::version).toList());
        answer(scores(r3, 0.90, 0.90));
        JsonPath v3 = awaitVersion(adapter, 3, v -> v.get("decision") != null);
        assertFalse(v3.getList("aliases").contains("champion"));
        assertEquals(0.0, v3.getDouble("decision.interval.low"), 0);
        assertEquals(0.0, v3.getDouble("decision.interval.high"), 0);

        // v4: its evaluation job fails: not promoted, with the job's reason.
        register(adapter, 0.97);
        EvaluationRequested r4 = request(adapter, 3);
        JobFailed failed = new JobFailed(io.peftflow.events.training.JobIds.of(TENANT, r4.requestId()), TENANT,
                JobFailed.Kind.USER_ERROR, "dataset 'transactions' version 1 was deleted", 0, OffsetDateTime.now());
        AdapterEventsOnKafka.publish(bootstrap, trainingEvents, failed.key(), failed.toCloudEvent("/trainer-service"));
        JsonPath v4 = awaitVersion(adapter, 4, v -> v.getString("promotion").contains("failed"));
        assertTrue(v4.getString("promotion").contains("was deleted"), v4.getString("promotion"));

        given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "/aliases/champion").then().statusCode(200)
                .body("history.to", org.hamcrest.Matchers.is(List.of(1, 2)));
        given().header("X-Tenant", TENANT).queryParam("a", 1).queryParam("b", 2)
                .get("/adapters/" + adapter + "/compare").then().statusCode(200)
                .body("sameSet.set.sha256", org.hamcrest.Matchers.is(TrainedAdapter.SET.sha256()))
                .body("sameSet.champion", org.hamcrest.Matchers.is(0.7f))
                .body("sameSet.challenger", org.hamcrest.Matchers.is(0.9f));

        // A pinned set must be known, not deleted, and share no example with a compared version's training split.
        String holdout = RegistrationTest.unique("holdout");
        announce("transactions", 1, new long[] {1, 2, 3, 4}, new long[] {5, 6});      // what the versions trained on
        announce(holdout, 1, new long[] {10, 11}, new long[] {3, 20, 21});            // shares example 3: leaks
        announce(holdout, 2, new long[] {10, 11}, new long[] {30, 31});
        DatasetVersionDeleted deleted = new DatasetVersionDeleted(TENANT, holdout, 2, 2, OffsetDateTime.now());
        AdapterEventsOnKafka.publish(bootstrap, datasetVersions, TENANT + "/" + holdout, EventCodec.wrap(
                "/dataset-service", EventTypes.DATASET_VERSION_DELETED, "datasets/" + TENANT + "/" + holdout + "/2",
                deleted).withId(DatasetVersionDeleted.eventId(TENANT, holdout, 2)));
        announce(holdout, 3, new long[] {10, 11}, new long[] {40, 41, 42});
        awaitPolicy(adapter, holdout, 3); // one key, in order: the deletion before it is recorded too
        Map<Integer, String> refused = Map.of(1, "shares 1 of its 3 validation examples with the training split of version 1",
                2, "was deleted", 9, "is not known");
        refused.forEach((version, reason) -> given().header("X-Tenant", TENANT).contentType(ContentType.JSON)
                .body(Map.of("metric", "exact_match", "evaluationSet", Map.of("dataset", holdout, "version", version)))
                .put("/adapters/" + adapter + "/policy").then().statusCode(422)
                .body("detail", org.hamcrest.Matchers.containsString(reason))
                .body("errors[0].field", org.hamcrest.Matchers.is("evaluationSet")));
        register(adapter, 0.93);
        EvaluationRequested r5 = request(adapter, 4);
        assertEquals(holdout, r5.set().name(), "the next challenger is measured on the pinned set");
        assertEquals(3, r5.set().version());
    }

    /** Announces a dataset version as dataset-service does, with its splits' content hashes stored in S3. */
    private void announce(String dataset, int version, long[] train, long[] validation) {
        String prefix = TENANT + "/" + dataset + "/v" + version + "/";
        byte[] t = ContentHashes.encode(train);
        byte[] v = ContentHashes.encode(validation);
        store.put(TrainedAdapter.TRAINER_BUCKET, prefix + "train.hashes", t, "application/octet-stream");
        store.put(TrainedAdapter.TRAINER_BUCKET, prefix + "validation.hashes", v, "application/octet-stream");
        String uri = ObjectStore.uri(TrainedAdapter.TRAINER_BUCKET, prefix);
        DatasetVersionReady ready = new DatasetVersionReady(TENANT, dataset, version, version, "prompt_completion",
                "none", 0, 0.2, null, new DatasetVersionReady.VersionObjects(null, uri + "train.jsonl",
                uri + "validation.jsonl", null), new DatasetVersionReady.VersionObjects(null, "a", "b", null),
                new VersionCounts(6, 6, 0, 0, 0, train.length, validation.length), Map.of(), Map.of(),
                "characters", null, OffsetDateTime.now(), new DatasetVersionReady.HashObjects(uri + "train.hashes",
                Sha256.hex(t), uri + "validation.hashes", Sha256.hex(v)));
        AdapterEventsOnKafka.publish(bootstrap, datasetVersions, TENANT + "/" + dataset, EventCodec.wrap(
                "/dataset-service", EventTypes.DATASET_VERSION_READY, "datasets/" + TENANT + "/" + dataset + "/" + version,
                ready).withId(DatasetVersionReady.eventId(TENANT, dataset, version)));
    }

    /** Pins {@code dataset} v{@code version} once the registry has consumed the announcements. */
    private void awaitPolicy(String adapter, String dataset, int version) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && status != 200) {
            status = given().header("X-Tenant", TENANT).contentType(ContentType.JSON)
                    .body(Map.of("metric", "exact_match", "evaluationSet", Map.of("dataset", dataset, "version", version)))
                    .put("/adapters/" + adapter + "/policy").then().extract().statusCode();
            if (status != 200) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        assertEquals(200, status, "pinning " + dataset + " v" + version);
    }
}
