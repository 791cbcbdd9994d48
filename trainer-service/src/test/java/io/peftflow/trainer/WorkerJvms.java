package io.peftflow.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.peftflow.data.Sha256;
import io.peftflow.data.sample.TransactionDataset;
import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.Topics;
import io.peftflow.events.dataset.DatasetVersionReady;
import io.peftflow.events.dataset.VersionCounts;
import io.peftflow.kit.LocalStackKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged service (target/quarkus-app) started as separate JVMs against the test stack, for the failsafe tests
 * of worker processes: announce a dataset version as dataset-service would, start JVMs in a role, talk to their API.
 */
final class WorkerJvms implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KAFKA = "127.0.0.1:" + System.getenv().getOrDefault("PEFTFLOW_KAFKA_PORT", "19092");
    private static final String PG = System.getenv().getOrDefault("PEFTFLOW_PG_PORT", "15432");
    private static final String S3 = "http://127.0.0.1:" + System.getenv().getOrDefault("PEFTFLOW_S3_PORT", "19000");

    private final String tenant;
    // HTTP/1.1: the JDK client would otherwise upgrade to h2c, whose GOAWAY at shutdown fails requests in progress.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Process> started = new ArrayList<>();

    WorkerJvms(String tenant) {
        this.tenant = tenant;
    }

    /**
     * Starts the service in {@code role} on {@code port}, logging to target/&lt;name&gt;.log, with DJL's cache in
     * {@code djlCache} (null: the build's shared cache) and the tests' short leases and beats.
     */
    Process start(String name, String role, int port, File djlCache) throws IOException {
        File module = moduleDir();
        File jar = new File(module, "target/quarkus-app/quarkus-run.jar");
        assertTrue(jar.isFile(), jar + " missing: run with `verify` (the IT needs the packaged service)");
        // The dev profile: the local stack's credentials are repository values, which the prod profile refuses.
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx1g", "-Dai.djl.offline=true", "-Dquarkus.profile=dev",
                "-Dquarkus.http.port=" + port, "-Dpeftflow.trainer.role=" + role,
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:" + PG + "/trainer_test",
                "-Dpeftflow.trainer.lease=3s", "-Dpeftflow.trainer.heartbeat=500ms", "-Dpeftflow.trainer.poll=100ms",
                "-Dpeftflow.trainer.device=cpu", "-Dpeftflow.trainer.worker-gpu=false",
                "-Dpeftflow.trainer.worker-device-memory=2G", "-Dpeftflow.gateway-secret-required=false", "-Dpeftflow.outbox.poll-interval=200ms",
                "-Dpeftflow.s3.buckets=peftflow-checkpoints,peftflow-models,peftflow-datasets",
                "-Dpeftflow.trainer.work-dir=" + new File(module, "target/" + name),
                "-jar", jar.getPath());
        pb.environment().put("DJL_CACHE_DIR", (djlCache != null ? djlCache : new File(module.getParentFile(), "target/djl-cache")).getPath());
        pb.redirectErrorStream(true).redirectOutput(log(name));
        Process p = pb.start();
        started.add(p);
        return p;
    }

    static File log(String name) {
        return new File(moduleDir(), "target/" + name + ".log");
    }

    void awaitReady(int port, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), "the service on port " + port + " exited; see its log in target/");
            try {
                if (send(port, "GET", "/q/health/ready", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        fail("the service on port " + port + " is not ready");
    }

    /** Creates a job, retrying while the dataset version is still on its way through Kafka; returns its id. */
    String createJob(int port, String body) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            HttpResponse<String> r = send(port, "POST", "/fine-tuning/jobs", body);
            if (r.statusCode() == 201) {
                return JSON.readTree(r.body()).get("id").asText();
            } else if (System.nanoTime() > deadline) {
                fail("job not accepted: " + r.statusCode() + " " + r.body());
            }
            Thread.sleep(300);
        }
    }

    HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Tenant", tenant).timeout(Duration.ofSeconds(120));
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = send(port, "GET", path, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** Splits in S3 and the version's announcement on Kafka, as dataset-service would. */
    void announce(String dataset) throws Exception {
        MinioClient s3 = s3();
        if (!s3.bucketExists(BucketExistsArgs.builder().bucket(TestStack.DATASETS).build())) {
            s3.makeBucket(MakeBucketArgs.builder().bucket(TestStack.DATASETS).build());
        }
        String prefix = tenant + "/" + dataset + "/v1/";
        byte[] train = TransactionDataset.jsonl(48, 1).getBytes(StandardCharsets.UTF_8);
        byte[] validation = TransactionDataset.jsonl(8, 2).getBytes(StandardCharsets.UTF_8);
        for (var f : Map.of("train.jsonl", train, "validation.jsonl", validation).entrySet()) {
            s3.putObject(PutObjectArgs.builder().bucket(TestStack.DATASETS).object(prefix + f.getKey())
                    .stream(new ByteArrayInputStream(f.getValue()), f.getValue().length, -1).build());
        }
        DatasetVersionReady ready = new DatasetVersionReady(tenant, dataset, 1, 1, "prompt_completion", "none", 0, 0.2,
                null, new DatasetVersionReady.VersionObjects(null, "s3://" + TestStack.DATASETS + "/" + prefix + "train.jsonl",
                "s3://" + TestStack.DATASETS + "/" + prefix + "validation.jsonl", null),
                new DatasetVersionReady.VersionObjects(null, Sha256.hex(train), Sha256.hex(validation), null),
                new VersionCounts(56, 56, 0, 0, 0, 48, 8), Map.of(), Map.of(), "characters", null,
                OffsetDateTime.now());
        CloudEvent event = EventCodec.wrap("/dataset-service", EventTypes.DATASET_VERSION_READY,
                "datasets/" + tenant + "/" + dataset + "/1", ready).withId(DatasetVersionReady.eventId(tenant, dataset, 1));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(LocalStackKafka.admin(KAFKA, Map.of(
                ProducerConfig.ACKS_CONFIG, "all")),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.DATASET_VERSIONS, tenant + "/" + dataset, EventCodec.encode(event)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    static MinioClient s3() {
        return MinioClient.builder().endpoint(S3).credentials("peftflow", "peftflow-secret").region("us-east-1").build();
    }

    static File moduleDir() {
        File dir = new File(System.getProperty("user.dir")).getAbsoluteFile();
        return new File(dir, "trainer-service").isDirectory() ? new File(dir, "trainer-service") : dir;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Stops every JVM still running: SIGTERM, then SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
