package io.peftflow.gateway;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import com.openai.models.finetuning.jobs.FineTuningJob;
import com.openai.models.finetuning.jobs.FineTuningJobEvent;
import com.openai.models.finetuning.jobs.JobCreateParams;
import com.openai.models.finetuning.jobs.JobListParams;
import com.openai.models.finetuning.jobs.checkpoints.FineTuningJobCheckpoint;
import com.openai.models.finetuning.methods.SupervisedHyperparameters;
import com.openai.models.finetuning.methods.SupervisedMethod;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The official OpenAI Java SDK, unmodified (only its base URL and API key set), against the gateway in front of the
 * real services: a team leaving OpenAI's hosted fine-tuning keeps its code. Every object the SDK reads is checked
 * against OpenAI's schema with the SDK's own {@code validate()}.
 */
@QuarkusTest
class OpenAiSdkTest {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Duration TIMEOUT = Duration.ofSeconds(240);

    @TestHTTPResource("/v1")
    URL gateway;

    @Test
    void fineTuningThroughTheSdk() throws IOException {
        Keys.Key key = Keys.create("openai-" + RUN);
        OpenAIClient openAi = OpenAIOkHttpClient.builder().baseUrl(gateway.toString()).apiKey(key.secret()).build();

        // files.create: OpenAI's chat format, uploaded as a file named like the dataset it becomes.
        Path upload = Files.createTempDirectory("openai-sdk").resolve("transactions.jsonl");
        Files.writeString(upload, Samples.chat(40));
        FileObject file = openAi.files().create(FileCreateParams.builder().file(upload).purpose(FilePurpose.FINE_TUNE)
                .build()).validate();
        assertEquals("file-ds-transactions-v1", file.id());
        assertEquals("transactions.jsonl", file.filename());
        assertEquals(Files.size(upload), file.bytes());
        assertEquals(FileObject.Purpose.FINE_TUNE, file.purpose());
        assertEquals(file.id(), openAi.files().retrieve(file.id()).validate().id());
        assertTrue(openAi.files().list().autoPager().stream().anyMatch(f -> f.id().equals(file.id())));
        assertArrayEquals(Files.readAllBytes(upload), bytes(openAi.files().content(file.id())));

        // jobs.create: OpenAI's request; peftflow's own fields go along as the SDK's additional body properties.
        FineTuningJob created = openAi.fineTuning().jobs().create(JobCreateParams.builder()
                .model("tiny-llama").trainingFile(file.id()).suffix("transactions-sdk").seed(7L)
                .method(JobCreateParams.Method.builder().type(JobCreateParams.Method.Type.SUPERVISED)
                        .supervised(SupervisedMethod.builder().hyperparameters(SupervisedHyperparameters.builder()
                                .nEpochs(1L).batchSize(4L).learningRateMultiplier(50.0).build()).build()).build())
                .putAdditionalBodyProperty("training", JsonValue.from(Map.of("checkpoint_every_steps", 3)))
                .build()).validate();
        assertEquals(file.id(), created.trainingFile());
        assertEquals("tiny-llama", created.model());
        assertFalse(created.fineTunedModel().isPresent());
        // A second job on the same version, named as a dataset path, to cancel.
        FineTuningJob second = openAi.fineTuning().jobs().create(JobCreateParams.builder()
                .model("tiny-llama").trainingFile("datasets/transactions/versions/1").suffix("transactions-cancelled")
                .build()).validate();
        FineTuningJob cancelled = openAi.fineTuning().jobs().cancel(second.id()).validate();
        assertTrue(List.of(FineTuningJob.Status.CANCELLED, FineTuningJob.Status.RUNNING).contains(cancelled.status()),
                cancelled.status().toString());

        // list with auto-pagination: a page of one job at a time still finds both.
        List<String> listed = openAi.fineTuning().jobs().list(JobListParams.builder().limit(1L).build()).autoPager()
                .stream().map(j -> j.validate().id()).toList();
        assertEquals(List.of(second.id(), created.id()), listed);

        FineTuningJob done = awaitSucceeded(openAi, created.id());
        assertTrue(done.trainedTokens().orElseThrow() > 0);
        // succeeded only once registered: the version as the inference API takes it.
        assertEquals("transactions-sdk:1", done.fineTunedModel().orElseThrow());
        assertTrue(done.finishedAt().isPresent());
        assertEquals(1, done.resultFiles().size());
        assertEquals(FineTuningJob.Status.CANCELLED, openAi.fineTuning().jobs().retrieve(second.id()).status());

        // events: newest first, a page of messages and metrics.
        List<FineTuningJobEvent> events = openAi.fineTuning().jobs().listEvents(created.id()).autoPager().stream()
                .map(FineTuningJobEvent::validate).toList();
        assertTrue(events.stream().anyMatch(e -> e.type().orElseThrow().equals(FineTuningJobEvent.Type.METRICS)));
        assertTrue(events.get(0).createdAt() >= events.get(events.size() - 1).createdAt());

        // checkpoints: one every 3 steps, with OpenAI's metrics.
        List<FineTuningJobCheckpoint> checkpoints = openAi.fineTuning().jobs().checkpoints().list(created.id())
                .autoPager().stream().map(FineTuningJobCheckpoint::validate).toList();
        assertFalse(checkpoints.isEmpty());
        FineTuningJobCheckpoint newest = checkpoints.get(0);
        assertEquals("transactions-sdk:ckpt-step-" + newest.stepNumber(), newest.fineTunedModelCheckpoint());
        assertEquals(newest.stepNumber(), newest.metrics().step().orElseThrow().longValue());
        assertTrue(newest.metrics().trainLoss().isPresent());

        // files.content of the result file: the metrics per step as OpenAI writes them.
        String resultFile = done.resultFiles().get(0);
        assertEquals(FileObject.Purpose.FINE_TUNE_RESULTS, openAi.files().retrieve(resultFile).validate().purpose());
        String csv = new String(bytes(openAi.files().content(resultFile)), StandardCharsets.UTF_8);
        assertTrue(csv.startsWith("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n"), csv);
        assertTrue(csv.lines().count() > 1, csv);

        // A job that does not exist: the SDK's NotFoundException.
        assertThrows(NotFoundException.class, () -> openAi.fineTuning().jobs().retrieve("ftjob-000000000000000000000000"));
        assertThrows(NotFoundException.class, () -> openAi.files().retrieve("file-ftjob-000000000000000000000000"));
    }

    private static FineTuningJob awaitSucceeded(OpenAIClient openAi, String id) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            FineTuningJob job = openAi.fineTuning().jobs().retrieve(id).validate();
            // The SDK's enums are value classes: compared with equals.
            if (job.status().equals(FineTuningJob.Status.SUCCEEDED)) {
                return job;
            }
            if (job.status().equals(FineTuningJob.Status.FAILED) || job.status().equals(FineTuningJob.Status.CANCELLED)
                    || System.nanoTime() > deadline) {
                fail("job " + id + " did not succeed: " + job);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static byte[] bytes(HttpResponse response) throws IOException {
        try (response; InputStream body = response.body()) {
            return body.readAllBytes();
        }
    }
}
