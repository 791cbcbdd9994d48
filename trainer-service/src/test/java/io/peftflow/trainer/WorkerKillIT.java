package io.peftflow.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.Topics;
import io.peftflow.kit.LocalStackKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker JVM (the packaged service, role {@code both}) is killed with SIGKILL in the middle of a job. A second worker
 * claims the job once the dead one's lease expires, resumes from the last checkpoint — the step counter continues —
 * and the job succeeds once: one succeeded event, one adapter.
 */
class WorkerKillIT {
    private static final String TENANT = "kill";

    private final WorkerJvms jvms = new WorkerJvms(TENANT);

    @AfterEach
    void stopWorkers() throws InterruptedException {
        jvms.close();
    }

    @Test
    void killedWorkersJobResumesFromItsCheckpointAndSucceedsOnce() throws Exception {
        String dataset = "kill-" + UUID.randomUUID().toString().substring(0, 8);
        jvms.announce(dataset);

        int firstPort = WorkerJvms.freePort();
        Process first = jvms.start("kill-it-first", "both", firstPort, null);
        jvms.awaitReady(firstPort, first);
        String body = """
                {"dataset": "%s", "model": "tiny-llama",
                 "method": {"type": "lora", "hyperparameters": {"r": 4, "lora_alpha": 8, "target_modules": ["q_proj", "v_proj"]}},
                 "training": {"max_steps": 200, "batch_size": 8, "learning_rate": 0.01, "checkpoint_every_steps": 5},
                 "seed": 11}""".formatted(dataset);
        String id = jvms.createJob(firstPort, body);

        // Kill the worker once a checkpoint exists and it trained past it. 200 steps, so that a quiet machine's worker
        // cannot run them all between two polls (40 steps could: the job was already trained when first seen past one).
        int checkpoint = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (true) {
            JsonNode job = jvms.get(firstPort, "/fine-tuning/jobs/" + id);
            checkpoint = job.at("/progress/last_checkpoint_step").asInt();
            if (checkpoint > 0 && job.at("/progress/step").asInt() > checkpoint) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "no checkpoint before the kill: " + job);
            // Queued until the worker's claim commits (the POST can answer first), running from then on.
            assertTrue(Set.of("queued", "running").contains(job.get("status").asText()),
                    "the job must still run when killed: " + job);
            Thread.sleep(50);
        }
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);   // SIGKILL: no shutdown hook, no release
        long killedAt = System.nanoTime();

        int secondPort = WorkerJvms.freePort();
        Process second = jvms.start("kill-it-second", "both", secondPort, null);
        jvms.awaitReady(secondPort, second);
        JsonNode done;
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (true) {
            done = jvms.get(secondPort, "/fine-tuning/jobs/" + id);
            if (done.get("status").asText().equals("trained")) {
                break;
            }
            assertTrue(!done.get("status").asText().equals("failed") && System.nanoTime() < deadline, done.toString());
            Thread.sleep(200);
        }
        System.out.printf("job %s: killed after checkpoint %d, trained %.1f s later%n", id, checkpoint,
                (System.nanoTime() - killedAt) / 1e9);
        assertEquals(2, done.get("attempt").asInt());
        assertEquals(200, done.at("/result/steps").asInt());

        // The log: the second start resumed from the checkpoint, and its first progress step came after it.
        JsonNode events = jvms.get(secondPort, "/fine-tuning/jobs/" + id + "/events?order=asc&limit=100").get("data");
        int resumedFrom = -1;
        int firstStepAfter = -1;
        int lastCheckpointBeforeResume = 0;
        for (JsonNode e : events) {
            if (resumedFrom < 0 && e.get("type").asText().equals("training.checkpoint-saved")) {
                lastCheckpointBeforeResume = e.at("/data/step").asInt();
            } else if (e.get("type").asText().equals("training.job-started") && e.at("/data/attempt").asInt() == 2) {
                resumedFrom = e.at("/data/resumedFromStep").asInt();
            } else if (resumedFrom >= 0 && firstStepAfter < 0 && e.get("type").asText().equals("training.progress")) {
                firstStepAfter = e.at("/data/step").asInt();
            }
        }
        // On a fast machine the worker can save one more checkpoint between the look above and the kill.
        assertTrue(lastCheckpointBeforeResume >= checkpoint, "checkpoint " + checkpoint + " seen before the kill");
        assertEquals(lastCheckpointBeforeResume, resumedFrom, "resumed from the last checkpoint");
        assertTrue(firstStepAfter > resumedFrom, "the step counter continued: first step after resume " + firstStepAfter);

        assertEquals(1, succeededEvents(id), "one job-succeeded event");
        MinioClient s3 = WorkerJvms.s3();
        int adapterFiles = 0;
        for (var item : s3.listObjects(ListObjectsArgs.builder().bucket("peftflow-checkpoints")
                .prefix(TENANT + "/" + id + "/result/adapter/").recursive(true).build())) {
            item.get();
            adapterFiles++;
        }
        assertEquals(2, adapterFiles, "one adapter: adapter_config.json and adapter_model.safetensors");
    }

    /** Reads the training events topic until the job's succeeded event is there, and 2 s more for any duplicate. */
    private long succeededEvents(String id) {
        long count = 0;
        long quietUntil = Long.MAX_VALUE;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(LocalStackKafka.admin(WorkerJvms.KAFKA, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "kill-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.TRAINING_EVENTS));
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
                    CloudEvent e = EventCodec.decode(r.value());
                    if (e.type().equals(EventTypes.TRAINING_JOB_SUCCEEDED) && e.subject().endsWith("/" + id)) {
                        count++;
                        quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                    }
                }
            }
        }
        return count;
    }
}
