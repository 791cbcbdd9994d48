package io.peftflow.gateway;

import io.peftflow.events.Topics;
import io.peftflow.kit.LocalStackKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What stands behind the gateway in its tests: the real dataset-service, trainer-service (role both: a CPU worker
 * trains the embedded tiny model), registry-service and inference-service, each its built jar run as in production against the stack
 * of scripts/stack.sh and its own *_test database, requiring the gateway's secret; an echo server on route
 * {@code echo} for the proxy's mechanics, and route {@code down} to a closed port. All of them, the gateway too,
 * export every trace to an in-process OTLP receiver ({@link #traces}).
 * <p>
 * The services' Kafka consumers join groups of their own for this run, committed at the topics' ends before the
 * services start: the topics hold the events of earlier runs and of the services' own test suites (jobs the trainer
 * would run again, adapters the registry would register again).
 */
public class TestStack implements QuarkusTestResourceLifecycleManager {
    /** The secret this run's gateway and services share. */
    static final String SECRET = "test-secret-" + UUID.randomUUID();
    static final String KAFKA = "127.0.0.1:" + System.getenv().getOrDefault("PEFTFLOW_KAFKA_PORT", "19092");
    /** This run's consumer groups, under the prefixes the services' Kafka users may use (SECURITY.md). */
    private static final String TRAINER_GROUP = "trainer-service.gateway-test-" + UUID.randomUUID();
    private static final String REGISTRY_GROUP = "registry-service.gateway-test-" + UUID.randomUUID();
    private static final long START_TIMEOUT_S = 180;
    static String datasetServiceUrl;
    static String trainerServiceUrl;
    static String registryServiceUrl;
    static String inferenceServiceUrl;

    /** Where the gateway and every service export their spans, all of them sampled. */
    static OtlpReceiver traces;

    /** Every service JVM started, restarted ones too (stopped at the end). */
    private static final List<Process> services = new ArrayList<>();
    /** inference-service, which {@link #killAndRestartInference} replaces. */
    private static Service inference;
    private EchoServer echo;

    @Override
    public Map<String, String> start() {
        try {
            echo = new EchoServer();
            traces = new OtlpReceiver();
            Map<String, String> config = new HashMap<>(tracing());
            config.put("peftflow.gateway.upstream-secret", SECRET);
            config.put("peftflow.gateway.routes.echo", echo.url());
            config.put("peftflow.gateway.routes.down", "http://127.0.0.1:" + freePort());
            startGroupsAtTheEnd();
            // Started together, awaited one by one: the three boots overlap.
            Service datasets = start("dataset-service", "dataset_test", "384m", List.of());
            Service trainer = start("trainer-service", "trainer_test", "768m", List.of(
                    "-Dpeftflow.trainer.role=both", "-Dpeftflow.trainer.device=cpu",
                    "-Dpeftflow.trainer.worker-gpu=false", "-Dpeftflow.trainer.worker-device-memory=2G",
                    // progress events (the console's loss curve) at most once per heartbeat
                    "-Dpeftflow.trainer.heartbeat=500ms", "-Dpeftflow.trainer.poll=100ms",
                    "-Dpeftflow.trainer.work-dir=" + Path.of("target", "trainer-work").toAbsolutePath(),
                    "-Dmp.messaging.incoming.dataset-versions.group.id=" + TRAINER_GROUP,
                    "-Dmp.messaging.incoming.training-requests.group.id=" + TRAINER_GROUP,
                    "-Dmp.messaging.incoming.adapter-events.group.id=" + TRAINER_GROUP));
            Service registry = start("registry-service", "registry_test", "384m", List.of(
                    "-Dmp.messaging.incoming.training-events.group.id=" + REGISTRY_GROUP,
                    "-Dmp.messaging.incoming.dataset-versions.group.id=" + REGISTRY_GROUP));
            inference = start("inference-service", "unused", "512m", List.of(
                    "-Dpeftflow.inference.registry-url=" + registry.url(),
                    // BatchApiTest kills it mid-batch: the restarted JVM takes the batch over once the lease lapses
                    "-Dpeftflow.inference.batches.lease=10s",
                    // BatchApiTest cancels a batch of 20 passes right after creating it, and a cancel is looked for at
                    // each checkpoint: at the default 1 s the passes (~30 ms each here) could all end before the first
                    // checkpoint after the cancel
                    "-Dpeftflow.inference.batches.checkpoint-interval=200ms",
                    // its base warms up before it is ready; with five JVMs starting the JIT stays busy, and the default
                    // budget (10 s) would be spent at every start (InferenceTest checks the warm-up ran)
                    "-Dpeftflow.inference.warm-up=3s",
                    "-Dpeftflow.inference.cache-dir=" + Path.of("target", "inference-cache").toAbsolutePath(),
                    // InferenceTest reads the mixed-adapter passes from the log, CompletionBatchingTest the decoding
                    // batches and the cancelled completions
                    "-Dquarkus.log.category.\"io.peftflow.inference.runtime.LoadedBase\".level=DEBUG",
                    "-Dquarkus.log.category.\"io.peftflow.inference.runtime.Decoder\".level=DEBUG",
                    "-Dquarkus.log.category.\"io.peftflow.inference.runtime.Completer\".level=DEBUG"));
            datasetServiceUrl = datasets.awaitReady();
            trainerServiceUrl = trainer.awaitReady();
            registryServiceUrl = registry.awaitReady();
            inferenceServiceUrl = inference.awaitReady();
            config.put("peftflow.gateway.routes.datasets", datasetServiceUrl);
            config.put("peftflow.gateway.routes.fine-tuning", trainerServiceUrl);
            config.put("peftflow.gateway.routes.adapters", registryServiceUrl);
            for (String route : List.of("chat", "completions", "models", "classify", "batches")) {
                config.put("peftflow.gateway.routes." + route, inferenceServiceUrl);
            }
            return config;
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("the services behind the gateway did not start: " + e.getMessage(), e);
        }
    }

    /**
     * Kills inference-service's JVM (SIGKILL: nothing is saved on the way out) and starts it again with the same
     * settings on the same port; returns once it is ready.
     */
    static synchronized void killAndRestartInference() throws Exception {
        inference.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        inference.builder().redirectOutput(ProcessBuilder.Redirect.appendTo(inference.log().toFile()));
        Process process = inference.builder().start();
        services.add(process);
        inference = new Service(inference.module(), process, inference.builder(), inference.url(), inference.log());
        inference.awaitReady();
    }

    /** A service's JVM, starting. */
    private record Service(String module, Process process, ProcessBuilder builder, String url, Path log) {
        String awaitReady() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(module + " exited; see " + log);
                }
                if (status(url + "/q/health/ready") == 200) {
                    return url;
                }
                Thread.sleep(250);
            }
            throw new IllegalStateException(module + " not ready after " + START_TIMEOUT_S + " s; see " + log);
        }
    }

    /** Starts a service's jar on a free port, its own database cleaned first. */
    private Service start(String module, String database, String heap, List<String> settings) throws IOException {
        Path jar = Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: build " + module + " first (the reactor does)");
        }
        int port = freePort();
        String pg = System.getenv().getOrDefault("PEFTFLOW_PG_PORT", "15432");
        Path log = Path.of("target", module + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        // The dev profile: the local stack's credentials are repository values, which the prod profile refuses.
        List<String> command = new ArrayList<>(List.of("java", "-Xmx" + heap, "-XX:TieredStopAtLevel=1",
                "-Dquarkus.profile=dev", "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:" + pg + "/" + database,
                "-Dquarkus.flyway.clean-disabled=false", "-Dquarkus.flyway.clean-at-start=true",
                // A loaded CI machine starts five JVMs at once: the first connection can take longer than 5 s.
                "-Dquarkus.datasource.jdbc.acquisition-timeout=60s",
                "-Dpeftflow.gateway-secret=" + SECRET,
                "-Dpeftflow.outbox.poll-interval=200ms",
                "-Dai.djl.offline=true"));
        tracing().forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(settings);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // The tiny model's tensors are small: one torch thread beats two contending ones on a 2-core machine.
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        services.add(process);
        return new Service(module, process, builder, "http://127.0.0.1:" + port, log);
    }

    /** Tracing on (every trace sampled), exported to {@link #traces} in batches a fifth of a second apart. */
    private static Map<String, String> tracing() {
        return Map.of("quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.exporter.otlp.traces.endpoint", traces.endpoint(),
                "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                "quarkus.otel.bsp.schedule.delay", "200ms");
    }

    /**
     * Commits the topics' current ends as the fresh groups' offsets: every event of this run is read however late
     * the consumers join or rebalance, where "latest" loses one sent before a consumer resolved its position.
     */
    private static void startGroupsAtTheEnd() throws Exception {
        try (Admin admin = Admin.create(LocalStackKafka.admin(KAFKA, Map.of()))) {
            Map<String, List<String>> topicsByGroup = Map.of(
                    TRAINER_GROUP, List.of(Topics.DATASET_VERSIONS, Topics.TRAINING_REQUESTS, Topics.ADAPTER_EVENTS),
                    REGISTRY_GROUP, List.of(Topics.TRAINING_EVENTS, Topics.DATASET_VERSIONS));
            Set<String> missing = new HashSet<>(topicsByGroup.values().stream().flatMap(List::stream).toList());
            missing.removeAll(admin.listTopics().names().get(30, TimeUnit.SECONDS));
            admin.createTopics(missing.stream().map(t -> new NewTopic(t, Optional.empty(), Optional.empty())).toList())
                    .all().get(30, TimeUnit.SECONDS);
            for (Map.Entry<String, List<String>> group : topicsByGroup.entrySet()) {
                Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                admin.describeTopics(group.getValue()).allTopicNames().get(30, TimeUnit.SECONDS).values().forEach(t ->
                        t.partitions().forEach(p -> ends.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS)
                        .forEach((partition, end) -> offsets.put(partition, new OffsetAndMetadata(end.offset())));
                admin.alterConsumerGroupOffsets(group.getKey(), offsets).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    static int status(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            return connection.getResponseCode();
        } catch (IOException e) {
            return -1;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void stop() {
        for (Process process : services) {
            process.destroy();
        }
        for (Process process : services) {
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (echo != null) {
            echo.close();
        }
        if (traces != null) {
            traces.close();
        }
    }
}
