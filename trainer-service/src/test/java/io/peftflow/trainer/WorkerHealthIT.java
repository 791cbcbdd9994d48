package io.peftflow.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A worker whose DJL cache is on a real {@code noexec} tmpfs (as Docker mounts a tmpfs by default) cannot map the
 * PyTorch natives: it exits non-zero within seconds, its log names the directory and {@code noexec}, it claims
 * nothing — the queued job keeps all its attempts — and a healthy worker started next trains the job. Mounting needs
 * root (CI runs as root).
 */
class WorkerHealthIT {
    private static final String TENANT = "health";

    private final WorkerJvms jvms = new WorkerJvms(TENANT);
    private final File noexec = new File(WorkerJvms.moduleDir(), "target/noexec-djl-cache");

    @AfterEach
    void stop() throws Exception {
        jvms.close();
        if (mounted()) {
            run("umount", noexec.getPath());
        }
    }

    @Test
    void aWorkerWhoseEngineCannotLoadExitsWithoutClaimingAndAHealthyOneTakesTheJob() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        String dataset = "health-" + UUID.randomUUID().toString().substring(0, 8);
        jvms.announce(dataset);
        int apiPort = WorkerJvms.freePort();
        Process api = jvms.start("health-it-api", "api", apiPort, null);
        jvms.awaitReady(apiPort, api);
        String id = jvms.createJob(apiPort, """
                {"dataset": "%s", "model": "tiny-llama",
                 "method": {"type": "lora", "hyperparameters": {"r": 4, "target_modules": ["q_proj", "v_proj"]}},
                 "training": {"max_steps": 4, "batch_size": 8, "learning_rate": 0.01}, "seed": 3}""".formatted(dataset));

        Files.createDirectories(noexec.toPath());
        run("mount", "-t", "tmpfs", "-o", "noexec,nosuid,nodev,size=64m", "tmpfs", noexec.getPath());
        long started = System.nanoTime();
        Process broken = jvms.start("health-it-broken", "worker", WorkerJvms.freePort(), noexec);
        assertTrue(broken.waitFor(90, TimeUnit.SECONDS), "the worker with a noexec DJL cache is still running");
        double exitedAfter = (System.nanoTime() - started) / 1e9;
        String log = Files.readString(WorkerJvms.log("health-it-broken").toPath());
        assertEquals(3, broken.exitValue(), log);
        List<String> reason = log.lines().filter(l -> l.contains("cannot start")).toList();
        assertEquals(1, reason.size(), log);
        // Measured from the worker's start, not the JVM's (which depends on the machine's load).
        Duration failedAfter = Duration.between(time(log.lines().filter(l -> l.contains("Worker] (main) worker "))
                .findFirst().orElseThrow()), time(reason.get(0)));
        System.out.printf("worker with a noexec DJL cache: failed %d ms after the worker started, exited with status %d "
                + "%.1f s after the JVM started%n", failedAfter.toMillis(), broken.exitValue(), exitedAfter);
        assertTrue(failedAfter.toSeconds() < 5, "failed " + failedAfter + " after the worker started");
        assertTrue(reason.get(0).contains("DJL cache directory " + noexec.getPath()) && reason.get(0).contains("noexec"),
                reason.get(0));
        JsonNode job = jvms.get(apiPort, "/fine-tuning/jobs/" + id);
        assertEquals("queued", job.get("status").asText(), job.toString());
        assertEquals(0, job.get("attempt").asInt(), "the broken worker claimed nothing: " + job);
        assertFalse(log.contains(id), "the broken worker never saw the job");

        int healthyPort = WorkerJvms.freePort();
        Process healthy = jvms.start("health-it-healthy", "worker", healthyPort, null);
        jvms.awaitReady(healthyPort, healthy);
        String state = worker(jvms.get(healthyPort, "/q/health/ready")).at("/data/state").asText();
        assertTrue(state.equals("idle") || state.equals("running job " + id), state);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(job = jvms.get(apiPort, "/fine-tuning/jobs/" + id)).get("status").asText().equals("trained")) {
            assertTrue(!job.get("status").asText().equals("failed") && System.nanoTime() < deadline, job.toString());
            Thread.sleep(200);
        }
        assertEquals(1, job.get("attempt").asInt(), "the healthy worker's claim is the job's first");
    }

    /** The time of a log line (Quarkus' console format starts with it). */
    private static LocalDateTime time(String line) {
        return LocalDateTime.parse(line.substring(0, 23), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS"));
    }

    private static JsonNode worker(JsonNode health) {
        for (JsonNode check : health.path("checks")) {
            if (check.path("name").asText().equals("worker")) {
                assertEquals("UP", check.path("status").asText(), check.toString());
                return check;
            }
        }
        throw new AssertionError("no worker check: " + health);
    }

    private boolean mounted() throws IOException {
        return Files.readString(java.nio.file.Path.of("/proc/self/mountinfo")).contains(" " + noexec.getPath() + " ");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }
}
