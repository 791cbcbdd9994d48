package io.peftflow.trainer;

import io.agroal.api.AgroalDataSource;
import io.peftflow.data.Sha256;
import io.peftflow.data.sample.TransactionDataset;
import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.Topics;
import io.peftflow.events.adapter.AdapterPromoted;
import io.peftflow.events.adapter.AdapterRegistrationFailed;
import io.peftflow.events.adapter.AdapterVersionArchived;
import io.peftflow.events.adapter.AdapterVersionRegistered;
import io.peftflow.events.dataset.ContentHashes;
import io.peftflow.events.dataset.DatasetVersionDeleted;
import io.peftflow.events.dataset.DatasetVersionReady;
import io.peftflow.events.dataset.VersionCounts;
import io.peftflow.kit.LocalStackKafka;
import io.peftflow.kit.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the tests do to the real stack: announce dataset versions as dataset-service does (splits in S3, the event on
 * Kafka), send and read Kafka records, query PostgreSQL directly, and stop or start a server of the stack.
 */
@ApplicationScoped
public class TestStack {
    static final String DATASETS = "peftflow-datasets";

    private final ObjectStore store;
    private final AgroalDataSource db;
    private final String bootstrap;

    public TestStack(ObjectStore store, AgroalDataSource db, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.store = store;
        this.db = db;
        this.bootstrap = bootstrap;
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Stores generated transaction splits and announces them as {@code version} of the dataset, {@code times} times. */
    public DatasetVersionReady announce(String tenant, String dataset, int version, int train, int validation, int times) {
        return announce(tenant, dataset, version, TransactionDataset.jsonl(train, version),
                TransactionDataset.jsonl(validation, 1000 + version), times);
    }

    /**
     * Stores the splits and their sorted content hashes (one per line: here the line's own hash stands for
     * dataset-service's normalised one) and announces them as {@code version}, {@code times} times.
     */
    public DatasetVersionReady announce(String tenant, String dataset, int version, String trainJsonl,
                                        String validationJsonl, int times) {
        String prefix = tenant + "/" + dataset + "/v" + version + "/";
        byte[] trainBytes = trainJsonl.getBytes(StandardCharsets.UTF_8);
        byte[] validationBytes = validationJsonl.getBytes(StandardCharsets.UTF_8);
        long train = trainJsonl.lines().count();
        long validation = validationJsonl.lines().count();
        byte[] trainHashes = ContentHashes.encode(lineHashes(trainJsonl));
        byte[] validationHashes = ContentHashes.encode(lineHashes(validationJsonl));
        store.put(DATASETS, prefix + "train.hashes", trainHashes, "application/octet-stream");
        store.put(DATASETS, prefix + "validation.hashes", validationHashes, "application/octet-stream");
        DatasetVersionReady.HashObjects hashes = new DatasetVersionReady.HashObjects(
                ObjectStore.uri(DATASETS, prefix + "train.hashes"), Sha256.hex(trainHashes),
                ObjectStore.uri(DATASETS, prefix + "validation.hashes"), Sha256.hex(validationHashes));
        store.put(DATASETS, prefix + "train.jsonl", trainBytes, "application/x-ndjson");
        store.put(DATASETS, prefix + "validation.jsonl", validationBytes, "application/x-ndjson");
        DatasetVersionReady.VersionObjects uris = new DatasetVersionReady.VersionObjects(null,
                ObjectStore.uri(DATASETS, prefix + "train.jsonl"), ObjectStore.uri(DATASETS, prefix + "validation.jsonl"), null);
        DatasetVersionReady.VersionObjects sha = new DatasetVersionReady.VersionObjects(null, Sha256.hex(trainBytes),
                Sha256.hex(validationBytes), null);
        DatasetVersionReady ready = new DatasetVersionReady(tenant, dataset, version, version, "prompt_completion", "none",
                0, 0.2, null, uris, sha, new VersionCounts(train + validation, train + validation, 0, 0, 0,
                train, validation), Map.of(), Map.of(), "characters", null, OffsetDateTime.now(), hashes);
        CloudEvent event = EventCodec.wrap("/dataset-service", EventTypes.DATASET_VERSION_READY,
                "datasets/" + tenant + "/" + dataset + "/" + version, ready)
                .withId(DatasetVersionReady.eventId(tenant, dataset, version));
        for (int i = 0; i < times; i++) {
            send(Topics.DATASET_VERSIONS, tenant + "/" + dataset, event);
        }
        return ready;
    }

    private static long[] lineHashes(String jsonl) {
        return jsonl.lines().mapToLong(l -> Long.parseUnsignedLong(Sha256.hex(l).substring(0, 15), 16)).sorted().toArray();
    }

    /** Announces the version's deletion, as dataset-service does, and waits until the trainer has recorded it. */
    public void deleted(String tenant, String dataset, int version) {
        DatasetVersionDeleted d = new DatasetVersionDeleted(tenant, dataset, version, version, OffsetDateTime.now());
        send(Topics.DATASET_VERSIONS, tenant + "/" + dataset, EventCodec.wrap("/dataset-service",
                EventTypes.DATASET_VERSION_DELETED, "datasets/" + tenant + "/" + dataset + "/" + version, d)
                .withId(DatasetVersionDeleted.eventId(tenant, dataset, version)));
        await(Duration.ofSeconds(30), "deletion of version " + version + " of " + dataset + " recorded", () ->
                count("select count(*) from dataset_version where tenant = ? and dataset = ? and version = " + version
                        + " and deleted_at is not null", tenant, dataset) == 1);
    }

    /** {@link #announce(String, String, int, String, String, int) Announces} these splits and waits until recorded. */
    public DatasetVersionReady known(String tenant, String dataset, int version, String trainJsonl,
                                     String validationJsonl) {
        DatasetVersionReady v = announce(tenant, dataset, version, trainJsonl, validationJsonl, 1);
        awaitKnown(tenant, dataset, version);
        return v;
    }

    private void awaitKnown(String tenant, String dataset, int version) {
        await(Duration.ofSeconds(30), "version " + version + " of " + dataset + " recorded", () ->
                count("select count(*) from dataset_version where tenant = ? and dataset = ? and version = " + version,
                        tenant, dataset) == 1);
    }

    /** Announces and waits until the trainer has recorded the version. */
    public DatasetVersionReady known(String tenant, String dataset, int version, int train, int validation) {
        DatasetVersionReady v = announce(tenant, dataset, version, train, validation, 1);
        awaitKnown(tenant, dataset, version);
        return v;
    }

    public void send(String topic, String key, CloudEvent event) {
        send(topic, key, EventCodec.encode(event));
    }

    /** What registry-service announces once it registered the job's adapter as {@code version}. */
    public void registered(String tenant, String jobId, String adapter, int version) {
        AdapterVersionRegistered r = new AdapterVersionRegistered(tenant, adapter, version, jobId, "lora", "tiny-llama",
                null, null, List.of(), "challenger", "test registration", OffsetDateTime.now());
        send(Topics.ADAPTER_EVENTS, r.key(), r.toCloudEvent("/registry-service"));
    }

    /** What registry-service announces when {@code version} becomes the adapter's champion (its {@code move}th move). */
    public void promoted(String tenant, String adapter, int version, long move) {
        AdapterPromoted p = new AdapterPromoted(tenant, adapter, move, null, version, null, null, null, true, "test",
                OffsetDateTime.now());
        send(Topics.ADAPTER_EVENTS, p.key(), p.toCloudEvent("/registry-service"));
    }

    /** What registry-service announces when it archives {@code version}. */
    public void archived(String tenant, String adapter, int version) {
        AdapterVersionArchived a = new AdapterVersionArchived(tenant, adapter, version, OffsetDateTime.now());
        send(Topics.ADAPTER_EVENTS, a.key(), a.toCloudEvent("/registry-service"));
    }

    /** What registry-service announces when it refuses the job's adapter. */
    public void refused(String tenant, String jobId, String adapter, int version, String reason) {
        AdapterRegistrationFailed f = new AdapterRegistrationFailed(tenant, adapter, version, jobId, reason,
                OffsetDateTime.now());
        send(Topics.ADAPTER_EVENTS, f.key(), f.toCloudEvent("/registry-service"));
    }

    public void send(String topic, String key, String value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(LocalStackKafka.admin(bootstrap, Map.of(
                ProducerConfig.ACKS_CONFIG, "all")),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    /**
     * The records of {@code topic} as {@code keep} maps them (null: not kept), read from the start of the topic until
     * {@code done} holds for what was kept (or the timeout passes).
     */
    public <T> List<T> read(String topic, Function<ConsumerRecord<String, String>, T> keep, Predicate<List<T>> done,
                            Duration timeout) {
        List<T> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(LocalStackKafka.admin(bootstrap, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "trainer-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
                    T kept = keep.apply(r);
                    if (kept != null) {
                        found.add(kept);
                    }
                }
                if (done.test(found)) {
                    break;
                }
            }
        }
        return found;
    }

    /** The job's events on {@code peftflow.training-events}: read until its final event, then 2 s more (duplicates). */
    public List<CloudEvent> jobEvents(String jobId, Duration timeout) {
        long[] finalSeenAt = {0};
        return read(Topics.TRAINING_EVENTS, r -> {
            CloudEvent e = EventCodec.decode(r.value());
            return e.subject() != null && e.subject().endsWith("/" + jobId) ? e : null;
        }, l -> {
            if (finalSeenAt[0] == 0 && l.stream().anyMatch(TestStack::terminal)) {
                finalSeenAt[0] = System.nanoTime();
            }
            return finalSeenAt[0] != 0 && System.nanoTime() - finalSeenAt[0] > TimeUnit.SECONDS.toNanos(2);
        }, timeout);
    }

    static boolean terminal(CloudEvent e) {
        return e.type().equals(EventTypes.TRAINING_JOB_SUCCEEDED) || e.type().equals(EventTypes.TRAINING_JOB_FAILED)
                || e.type().equals(EventTypes.TRAINING_EVALUATION_SUCCEEDED)
                || e.type().equals(EventTypes.TRAINING_JOB_CANCELLED);
    }

    public long count(String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs one write statement; the rows it changed. */
    public int update(String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public boolean exists(String uri) {
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        return store.stat(rest.substring(0, slash), rest.substring(slash + 1)).isPresent();
    }

    public List<ObjectStore.Listed> list(String bucket, String prefix) {
        return store.list(bucket, prefix);
    }

    public interface Check {
        boolean ok() throws Exception;
    }

    public static void await(Duration timeout, String what, Check check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!check.ok()) {
                if (System.nanoTime() > deadline) {
                    fail("timed out after " + timeout.toSeconds() + " s waiting for " + what);
                }
                Thread.sleep(100);
            }
        } catch (Exception e) {
            throw new IllegalStateException("while waiting for " + what, e);
        }
    }

    /** Runs scripts/stack.sh from the repository root (found above the module's working directory). */
    public static void stack(String... args) throws Exception {
        File root = repositoryRoot();
        List<String> command = new ArrayList<>(List.of("bash", "scripts/stack.sh"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(root).inheritIO().start();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroy();
            fail("scripts/stack.sh " + String.join(" ", args) + " failed");
        }
    }

    /** Sends {@code signal} (e.g. STOP, CONT) to a server of the stack, by the pid scripts/stack.sh recorded. */
    public static void signal(String component, String signal) throws Exception {
        String dir = System.getenv().getOrDefault("PEFTFLOW_STACK_DIR", new File(repositoryRoot(), ".stack").getPath());
        String pid = java.nio.file.Files.readString(new File(dir, "pids/" + component + ".pid").toPath()).trim();
        Process p = new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("kill -" + signal + " " + component + " (" + pid + ") failed");
        }
    }

    public static File repositoryRoot() {
        File root = new File(System.getProperty("user.dir")).getAbsoluteFile();
        while (root != null && !new File(root, "scripts/stack.sh").isFile()) {
            root = root.getParentFile();
        }
        if (root == null) {
            fail("no scripts/stack.sh above " + System.getProperty("user.dir"));
        }
        return root;
    }
}
