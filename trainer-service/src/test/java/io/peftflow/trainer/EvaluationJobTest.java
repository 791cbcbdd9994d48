package io.peftflow.trainer;

import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.run.MethodPreset;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.data.Sha256;
import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.Topics;
import io.peftflow.events.dataset.DatasetVersionReady;
import io.peftflow.events.training.DatasetRef;
import io.peftflow.events.training.EvaluationRequested;
import io.peftflow.events.training.EvaluationSucceeded;
import io.peftflow.events.training.JobFailed;
import io.peftflow.events.training.JobIds;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.events.training.TrainingSettings;
import io.peftflow.kit.storage.ObjectStore;
import io.peftflow.trainer.jobs.FineTuningJob;
import io.peftflow.trainer.jobs.JobStatus;
import io.peftflow.trainer.jobs.JsonText;
import io.peftflow.trainer.jobs.Recipe;
import io.peftflow.trainer.models.BaseModels;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Evaluation jobs: registry-service's request on {@code peftflow.training-requests} becomes an {@code evaluation} job
 * that a worker runs ({@code AdapterEvaluation}): both versions' adapters measured on one set, answered with
 * {@code training.evaluation-succeeded} — or failed, naming what is wrong. The adapters are real peft-core LoRA files
 * (saved, not trained: one training run per JVM belongs to the other tests).
 */
@QuarkusTest
class EvaluationJobTest {
    private static final String TENANT = "evaluations";

    @Inject
    TestStack stack;

    @Inject
    ObjectStore store;

    @Inject
    BaseModels models;

    /** A LoRA adapter of the tiny model, stored as the succeeded training job {@code jobId} of {@code dataset} v1. */
    private void trainedJob(String jobId, String dataset, Path adapterDir) throws IOException {
        List<JobSucceeded.StoredFile> files = new ArrayList<>();
        for (String name : List.of("adapter_config.json", "adapter_model.safetensors")) {
            byte[] bytes = Files.readAllBytes(adapterDir.resolve(name));
            String key = TENANT + "/" + jobId + "/result/adapter/" + name;
            store.put("peftflow-checkpoints", key, bytes, "application/octet-stream");
            files.add(new JobSucceeded.StoredFile(name, ObjectStore.uri("peftflow-checkpoints", key), Sha256.hex(bytes),
                    bytes.length));
        }
        JobSucceeded result = new JobSucceeded(jobId, TENANT, dataset + "-lora", files, null, null, null,
                new JobSucceeded.Lineage(new DatasetRef(dataset, 1, null, null),
                        new JobSucceeded.BaseModel("tiny-llama", null), null, null, 42, null, null),
                1, 1, OffsetDateTime.now(), 0L);
        QuarkusTransaction.requiringNew().run(() -> {
            FineTuningJob j = new FineTuningJob();
            j.id = jobId;
            j.tenant = TENANT;
            j.requestId = jobId;
            j.requestHash = Sha256.hex(jobId);
            j.origin = "api";
            for (JobStatus s : List.of(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.TRAINED, JobStatus.SUCCEEDED)) {
                j.moveTo(s);
            }
            j.datasetName = dataset;
            j.datasetVersion = 1;
            j.recipe = new Recipe("tiny-llama", "lora", MethodPreset.parse("lora").hyperparameters(),
                    new TrainingSettings(1, null, 8, null, null, null, null), 42, dataset + "-lora", null, null);
            j.createdAt = OffsetDateTime.now();
            j.notBefore = j.createdAt;
            j.result = JsonText.write(result);
            j.persist();
        });
    }

    private Path saveLora(long seed) throws IOException {
        Path dir = Files.createTempDirectory("eval-lora");
        try (CausalLM base = Models.load(models.localDir("tiny-llama"), LoadOptions.cpu())) {
            PeftModel peft = new PeftModel(base);
            peft.add("default", MethodPreset.parse("lora").config(), seed);
            peft.save("default", dir, "tiny-llama");
        }
        return dir;
    }

    private EvaluationRequested request(String dataset, List<EvaluationRequested.Candidate> candidates) {
        EvaluationRequested r = new EvaluationRequested("promotion:" + dataset + "-lora:v2-vs-v1:1", TENANT,
                dataset + "-lora", "tiny-llama", DatasetRef.of(dataset, 1), candidates, OffsetDateTime.now());
        stack.send(Topics.TRAINING_REQUESTS, r.key(), EventCodec.wrap("/registry-service",
                EventTypes.TRAINING_EVALUATION_REQUESTED, "adapters/" + TENANT + "/" + r.adapterName(), r)
                .withId(EvaluationRequested.eventId(TENANT, r.requestId())));
        return r;
    }

    @Test
    void bothVersionsAreMeasuredOnOneSetExampleByExample() throws IOException {
        String dataset = TestStack.unique("evalset");
        DatasetVersionReady v1 = stack.known(TENANT, dataset, 1, 40, 12);
        Path adapter = saveLora(42);
        String champion = "ftjob-" + TestStack.unique("champion");
        String challenger = "ftjob-" + TestStack.unique("challenger");
        trainedJob(champion, dataset, adapter);
        trainedJob(challenger, dataset, adapter); // the same weights: the same numbers, example by example
        EvaluationRequested r = request(dataset, List.of(new EvaluationRequested.Candidate(2, challenger),
                new EvaluationRequested.Candidate(1, champion)));

        String jobId = JobIds.of(TENANT, r.requestId());
        List<CloudEvent> events = stack.jobEvents(jobId, Duration.ofSeconds(180));
        List<CloudEvent> answers = events.stream()
                .filter(e -> e.type().equals(EventTypes.TRAINING_EVALUATION_SUCCEEDED)).toList();
        assertEquals(1, answers.size(), "one evaluation-succeeded event: " + events.stream().map(CloudEvent::type).toList());
        EvaluationSucceeded s = EventCodec.payload(answers.get(0), EvaluationSucceeded.class);
        s.validate(); // what registry-service's intake checks
        assertEquals(r.requestId(), s.requestId());
        assertEquals(dataset, s.set().dataset());
        assertEquals(1, s.set().version());
        assertEquals(v1.sha256().validation(), s.set().sha256(), "the split measured is the announced one");
        assertEquals(12, s.set().examples());
        assertEquals(List.of(2, 1), s.scores().stream().map(EvaluationSucceeded.Score::version).toList());
        EvaluationSucceeded.Score a = s.score(2).orElseThrow();
        EvaluationSucceeded.Score b = s.score(1).orElseThrow();
        assertEquals(a.metrics(), b.metrics());
        assertArrayEquals(a.hits(12), b.hits(12));
        assertTrue(a.metrics().evalLoss() > 0);
        JsonPath job = Api.awaitStatus(TENANT, jobId, "succeeded", Duration.ofSeconds(30));
        assertEquals("evaluation", job.getString("kind"));
        assertEquals("registry", job.getString("origin"));

        // registry-service's job, not one of the tenant's fine-tuning jobs: listed on request only, unknown to OpenAI
        assertEquals(List.of(challenger, champion), jobIds("/fine-tuning/jobs?dataset=" + dataset));
        assertEquals(List.of(jobId), jobIds("/fine-tuning/jobs?kind=evaluation&dataset=" + dataset));
        assertFalse(jobIds("/fine_tuning/jobs?limit=100").contains(jobId));
        assertTrue(jobIds("/fine_tuning/jobs?limit=100").contains(champion));
        given().header("X-Tenant", TENANT).get("/fine_tuning/jobs/" + jobId).then().statusCode(404);
        given().header("X-Tenant", TENANT).get("/fine_tuning/jobs/" + jobId + "/events").then().statusCode(404);
        given().header("X-Tenant", TENANT).get("/fine-tuning/jobs?kind=flying").then().statusCode(400)
                .body("errors.field", hasItem("kind"));
    }

    private static List<String> jobIds(String path) {
        return given().header("X-Tenant", TENANT).get(path).then().statusCode(200).extract().jsonPath()
                .getList("data.id", String.class);
    }

    @Test
    void aCandidateWithoutATrainedAdapterFailsTheJobNamingIt() {
        String dataset = TestStack.unique("evalbad");
        stack.known(TENANT, dataset, 1, 40, 12);
        EvaluationRequested r = request(dataset, List.of(new EvaluationRequested.Candidate(2, "ftjob-none")));
        String jobId = JobIds.of(TENANT, r.requestId());
        List<CloudEvent> events = stack.jobEvents(jobId, Duration.ofSeconds(120));
        JobFailed failed = events.stream().filter(e -> e.type().equals(EventTypes.TRAINING_JOB_FAILED))
                .map(e -> EventCodec.payload(e, JobFailed.class)).findFirst().orElseThrow();
        assertEquals(JobFailed.Kind.USER_ERROR, failed.kind());
        assertTrue(failed.reason().contains("version 2: job ftjob-none has no trained adapter"), failed.reason());
    }
}
