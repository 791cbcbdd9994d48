package io.peftflow.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.peftflow.data.Sha256;
import io.peftflow.data.sample.TransactionDataset;
import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.Topics;
import io.peftflow.events.dataset.DatasetVersionReady;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A worker JVM (the packaged service, role {@code both}) is killed with SIGKILL in the middle of a job. A second worker
 * claims the job once the dead one's lease expires, resumes from the last checkpoint — the step counter continues —
 * and the job succeeds once: one succeeded event, one adapter.
 */
class WorkerKillIT {
    private static final String TENANT = "kill";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PG = System.getenv().getOrDefault("PEFTFLOW_PG_PORT", "15432");
    private static final String KAFKA = "127.0.0.1:" + System.getenv().getOrDefault("PEFTFLOW_KAFKA_PORT", "19092");
    private static final String S3 = "http://127.0.0.1:" + System.getenv().getOrDefault("PEFTFLOW_S3_PORT", "19000");

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> workers = new ArrayList<>();

    @AfterEach
    void stopWorkers() throws InterruptedException {
        for (Process p : workers) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void killedWorkersJobResumesFromItsCheckpointAndSucceedsOnce() throws Exception {
        String dataset = "kill-" + UUID.randomUUID().toString().substring(0, 8);
        announce(dataset);

        int firstPort = freePort();
        Process first = worker(firstPort, "first");
        awaitReady(firstPort, first);
        String body = """
                {"dataset": "%s", "model": "tiny-llama",
                 "method": {"type": "lora", "hyperparameters": {"r": 4, "lora_alpha": 8, "target_modules": ["q_proj", "v_proj"]}},
                 "training": {"max_steps": 40, "batch_size": 8, "learning_rate": 0.01, "checkpoint_every_steps": 5},
                 "seed": 11}""".formatted(dataset);
        String id = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (id == null) {
            HttpResponse<String> r = send(firstPort, "POST", "/fine-tuning/jobs", body);
            if (r.statusCode() == 201) {
                id = JSON.readTree(r.body()).get("id").asText();
            } else if (System.nanoTime() > deadline) {
                fail("job not accepted: " + r.statusCode() + " " + r.body());
            } else {
                Thread.sleep(300); // the dataset version is still on its way through Kafka
            }
        }

        // Kill the worker once a checkpoint exists and it trained past it.
        int checkpoint = 0;
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (true) {
            JsonNode job = get(firstPort, "/fine-tuning/jobs/" + id);
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

        int secondPort = freePort();
        Process second = worker(secondPort, "second");
        awaitReady(secondPort, second);
        JsonNode done;
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (true) {
            done = get(secondPort, "/fine-tuning/jobs/" + id);
            if (done.get("status").asText().equals("succeeded")) {
                break;
            }
            assertTrue(!done.get("status").asText().equals("failed") && System.nanoTime() < deadline, done.toString());
            Thread.sleep(200);
        }
        System.out.printf("job %s: killed after checkpoint %d, succeeded %.1f s later%n", id, checkpoint,
                (System.nanoTime() - killedAt) / 1e9);
        assertEquals(2, done.get("attempt").asInt());
        assertEquals(40, done.at("/result/steps").asInt());

        // The log: the second start resumed from the checkpoint, and its first progress step came after it.
        JsonNode events = get(secondPort, "/fine-tuning/jobs/" + id + "/events?order=asc&limit=100").get("data");
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
        MinioClient s3 = s3();
        int adapterFiles = 0;
        for (var item : s3.listObjects(ListObjectsArgs.builder().bucket("peftflow-checkpoints")
                .prefix(TENANT + "/" + id + "/result/adapter/").recursive(true).build())) {
            item.get();
            adapterFiles++;
        }
        assertEquals(2, adapterFiles, "one adapter: adapter_config.json and adapter_model.safetensors");
    }

    private Process worker(int port, String name) throws IOException {
        File module = moduleDir();
        File jar = new File(module, "target/quarkus-app/quarkus-run.jar");
        assertTrue(jar.isFile(), jar + " missing: run with `verify` (the IT needs the packaged service)");
        File djlCache = new File(module.getParentFile(), "target/djl-cache");
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx1g", "-Dai.djl.offline=true", "-Dquarkus.profile=dev",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:" + PG + "/trainer_test",
                "-Dpeftflow.trainer.lease=3s", "-Dpeftflow.trainer.heartbeat=500ms", "-Dpeftflow.trainer.poll=100ms",
                "-Dpeftflow.trainer.device=cpu", "-Dpeftflow.trainer.worker-gpu=false",
                "-Dpeftflow.trainer.worker-device-memory=2G", "-Dpeftflow.gateway-secret-required=false", "-Dpeftflow.outbox.poll-interval=200ms",
                "-Dpeftflow.s3.buckets=peftflow-checkpoints,peftflow-models,peftflow-datasets",
                "-Dpeftflow.trainer.work-dir=" + new File(module, "target/kill-it/" + name),
                "-jar", jar.getPath());
        pb.environment().put("DJL_CACHE_DIR", djlCache.getPath());
        pb.redirectErrorStream(true).redirectOutput(new File(module, "target/kill-it-" + name + ".log"));
        Process p = pb.start();
        workers.add(p);
        return p;
    }

    private void awaitReady(int port, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), "worker on port " + port + " exited; see target/kill-it-*.log");
            try {
                if (send(port, "GET", "/q/health/ready", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        fail("worker on port " + port + " not ready");
    }

    private HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Tenant", TENANT).timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = send(port, "GET", path, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** Splits in S3 and the version's announcement on Kafka, as dataset-service would. */
    private void announce(String dataset) throws Exception {
        MinioClient s3 = s3();
        if (!s3.bucketExists(BucketExistsArgs.builder().bucket(TestStack.DATASETS).build())) {
            s3.makeBucket(MakeBucketArgs.builder().bucket(TestStack.DATASETS).build());
        }
        String prefix = TENANT + "/" + dataset + "/v1/";
        byte[] train = TransactionDataset.jsonl(48, 1).getBytes(StandardCharsets.UTF_8);
        byte[] validation = TransactionDataset.jsonl(8, 2).getBytes(StandardCharsets.UTF_8);
        for (var f : Map.of("train.jsonl", train, "validation.jsonl", validation).entrySet()) {
            s3.putObject(PutObjectArgs.builder().bucket(TestStack.DATASETS).object(prefix + f.getKey())
                    .stream(new ByteArrayInputStream(f.getValue()), f.getValue().length, -1).build());
        }
        DatasetVersionReady ready = new DatasetVersionReady(TENANT, dataset, 1, 1, "prompt_completion", "none", 0, 0.2,
                null, new DatasetVersionReady.VersionObjects(null, "s3://" + TestStack.DATASETS + "/" + prefix + "train.jsonl",
                "s3://" + TestStack.DATASETS + "/" + prefix + "validation.jsonl", null),
                new DatasetVersionReady.VersionObjects(null, Sha256.hex(train), Sha256.hex(validation), null),
                new DatasetVersionReady.Counts(56, 56, 0, 0, 0, 48, 8), Map.of(), Map.of(), "characters", null,
                OffsetDateTime.now());
        CloudEvent event = EventCodec.wrap("/dataset-service", EventTypes.DATASET_VERSION_READY,
                "datasets/" + TENANT + "/" + dataset + "/1", ready).withId(DatasetVersionReady.eventId(TENANT, dataset, 1));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.DATASET_VERSIONS, TENANT + "/" + dataset, EventCodec.encode(event)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** Reads the training events topic until the job's succeeded event is there, and 2 s more for any duplicate. */
    private long succeededEvents(String id) {
        long count = 0;
        long quietUntil = Long.MAX_VALUE;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA,
                ConsumerConfig.GROUP_ID_CONFIG, "kill-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
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

    private static MinioClient s3() {
        return MinioClient.builder().endpoint(S3).credentials("peftflow", "peftflow-secret").region("us-east-1").build();
    }

    private static File moduleDir() {
        File dir = new File(System.getProperty("user.dir")).getAbsoluteFile();
        return new File(dir, "trainer-service").isDirectory() ? new File(dir, "trainer-service") : dir;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
