package io.peftflow.gateway;

import io.peftflow.events.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What stands behind the gateway in its tests: the real dataset-service, trainer-service (role both: a CPU worker
 * trains the embedded tiny model) and registry-service, each its built jar run as in production against the stack
 * of scripts/stack.sh and its own *_test database, requiring the gateway's secret; an echo server on route
 * {@code echo} for the proxy's mechanics, and route {@code down} to a closed port.
 * <p>
 * The services' Kafka consumers join groups of their own for this run and start at the topics' ends: the topics
 * hold the events of earlier runs and of the services' own test suites (jobs the trainer would run again, adapters
 * the registry would register again), and this run's events come only after the consumers are assigned.
 */
public class TestStack implements QuarkusTestResourceLifecycleManager {
    /** The secret this run's gateway and services share. */
    static final String SECRET = "test-secret-" + UUID.randomUUID();
    static final String KAFKA = "127.0.0.1:" + System.getenv().getOrDefault("PEFTFLOW_KAFKA_PORT", "19092");
    private static final String GROUP = "gateway-test-" + UUID.randomUUID();
    private static final long START_TIMEOUT_S = 180;
    static String datasetServiceUrl;
    static String trainerServiceUrl;
    static String registryServiceUrl;

    private final List<Process> services = new ArrayList<>();
    private EchoServer echo;

    @Override
    public Map<String, String> start() {
        try {
            echo = new EchoServer();
            Map<String, String> config = new HashMap<>();
            config.put("peftflow.gateway.upstream-secret", SECRET);
            config.put("peftflow.gateway.routes.echo", echo.url());
            config.put("peftflow.gateway.routes.down", "http://127.0.0.1:" + freePort());
            // Started together, awaited one by one: the three boots overlap.
            Service datasets = start("dataset-service", "dataset_test", "384m", List.of());
            Service trainer = start("trainer-service", "trainer_test", "768m", List.of(
                    "-Dpeftflow.trainer.role=both", "-Dpeftflow.trainer.device=cpu",
                    "-Dpeftflow.trainer.worker-gpu=false", "-Dpeftflow.trainer.worker-device-memory=2G",
                    // progress events (the console's loss curve) at most once per heartbeat
                    "-Dpeftflow.trainer.heartbeat=500ms", "-Dpeftflow.trainer.poll=100ms",
                    "-Dpeftflow.trainer.work-dir=" + Path.of("target", "trainer-work").toAbsolutePath(),
                    "-Dmp.messaging.incoming.dataset-versions.group.id=" + GROUP,
                    "-Dmp.messaging.incoming.dataset-versions.auto.offset.reset=latest",
                    "-Dmp.messaging.incoming.training-requests.group.id=" + GROUP,
                    "-Dmp.messaging.incoming.training-requests.auto.offset.reset=latest"));
            Service registry = start("registry-service", "registry_test", "384m", List.of(
                    "-Dmp.messaging.incoming.training-events.group.id=" + GROUP + "-registry",
                    "-Dmp.messaging.incoming.training-events.auto.offset.reset=latest"));
            datasetServiceUrl = datasets.awaitReady();
            trainerServiceUrl = trainer.awaitReady();
            registryServiceUrl = registry.awaitReady();
            awaitAssigned(GROUP, Topics.DATASET_VERSIONS);
            awaitAssigned(GROUP + "-registry", Topics.TRAINING_EVENTS);
            config.put("peftflow.gateway.routes.datasets", datasetServiceUrl);
            config.put("peftflow.gateway.routes.fine-tuning", trainerServiceUrl);
            config.put("peftflow.gateway.routes.adapters", registryServiceUrl);
            return config;
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("the services behind the gateway did not start: " + e.getMessage(), e);
        }
    }

    /** A service's JVM, starting. */
    private record Service(String module, Process process, String url, Path log) {
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
        List<String> command = new ArrayList<>(List.of("java", "-Xmx" + heap, "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:" + pg + "/" + database,
                "-Dquarkus.flyway.clean-disabled=false", "-Dquarkus.flyway.clean-at-start=true",
                "-Dpeftflow.gateway-secret=" + SECRET,
                "-Dpeftflow.outbox.poll-interval=200ms",
                "-Dai.djl.offline=true"));
        command.addAll(settings);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // The tiny model's tensors are small: one torch thread beats two contending ones on a 2-core machine.
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        services.add(process);
        return new Service(module, process, "http://127.0.0.1:" + port, log);
    }

    /** Waits until the group consumes {@code topic}: from then on, no event of this run is missed. */
    private static void awaitAssigned(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                ConsumerGroupDescription description = admin.describeConsumerGroups(Set.of(group)).all()
                        .get(10, TimeUnit.SECONDS).get(group);
                boolean assigned = description.members().stream().map(MemberDescription::assignment)
                        .flatMap(a -> a.topicPartitions().stream()).anyMatch(p -> p.topic().equals(topic));
                if (assigned) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("consumer group " + group + " not assigned " + topic
                            + " after 60 s: " + description);
                }
                Thread.sleep(250);
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
    }
}
