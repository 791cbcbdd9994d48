package io.peftflow.trainer;

import io.micrometer.core.instrument.MeterRegistry;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.Topics;
import io.peftflow.events.dataset.DatasetVersionReady;
import io.peftflow.trainer.queue.QueueBacklog;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22's attacks on trainer-service, with a valid tenant, against the real stack: a catastrophic pattern, oversized
 * and deeply nested bodies, a tenant over its job quota or stream cap, and one tenant's queue against another's job.
 */
@QuarkusTest
class TrainerSecurityTest {
    @Inject
    TestStack stack;

    @Inject
    MeterRegistry meters;

    @Inject
    QueueBacklog backlog;

    @TestHTTPResource("/")
    URI base;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;

    @ConfigProperty(name = "quarkus.datasource.password")
    String dbPassword;

    /** ((.+)+)+Q backtracks exponentially in java.util.regex; RE2/J answers in linear time and no thread keeps matching. */
    @Test
    void catastrophicPatternIsAnsweredAtOnceAndLeavesTheCpuFree() throws Exception {
        String dataset = TestStack.unique("redos");
        String policy = """
                {"model": "tiny-llama",
                 "method": {"type": "lora", "hyperparameters": {"r": 4, "lora_alpha": 8, "target_modules": "((.+)+)+Q"}},
                 "training": {"max_steps": 6, "batch_size": 8}}""";
        // Warm the path up first (JIT, first validation): the timing is of the pattern, not of a cold JVM.
        String plain = policy.replace("((.+)+)+Q", "no_such_proj");
        Api.put("attacker", "/fine-tuning/policies/" + dataset, plain).then().statusCode(422);
        // The fastest of three of each, so that a load spike on a shared machine does not decide.
        long evil = Long.MAX_VALUE;
        long benign = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long started = System.nanoTime();
            Api.put("attacker", "/fine-tuning/policies/" + dataset, policy).then()
                    .statusCode(422).body("errors.field", hasItem("method.hyperparameters.target_modules"));
            evil = Math.min(evil, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            started = System.nanoTime();
            Api.put("attacker", "/fine-tuning/policies/" + dataset, plain).then().statusCode(422);
            benign = Math.min(benign, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
        // Under 1 s; on a machine so loaded that a plain request is slow too, no slower than five of those
        // (java.util.regex never answered this pattern).
        assertTrue(evil < Math.max(1000, 5 * benign), "the pattern took " + evil + " ms, a plain one " + benign + " ms");
        Api.post("attacker", "/fine-tuning/jobs", policy.replace("{\"model\"", "{\"dataset\": \"" + dataset + "\", \"model\""))
                .then().statusCode(422);
        System.out.printf("pattern attack answered in %d ms (a plain pattern: %d ms)%n", evil, benign);
        // Backreferences (which RE2 cannot run in linear time) are refused with the field named.
        Api.put("attacker", "/fine-tuning/policies/" + dataset, policy.replace("((.+)+)+Q", "(q_proj)\\\\1")).then()
                .statusCode(422).body("errors.field", hasItem("method.hyperparameters.target_modules"));
        for (int i = 0; i < 5; i++) {
            Thread.sleep(200);
            for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
                assertTrue(Arrays.stream(t.getStackTrace()).noneMatch(f -> f.getClassName().startsWith("java.util.regex")
                        || f.getClassName().startsWith("com.google.re2j")), "thread " + t.getThreadName() + " still matching");
            }
        }
    }

    @Test
    void oversizedOrDeepBodiesAre400NamingTheField() {
        String dataset = TestStack.unique("big");
        Api.post("attacker", "/fine-tuning/jobs", Api.loraJob(dataset, 4, 2).replace("\"seed\": 7",
                "\"seed\": 7, \"adapter_name\": \"" + "a".repeat(300) + "\"")).then()
                .statusCode(400).body("errors.field", hasItem("adapter_name")).body("detail", containsString("256"));
        Api.post("attacker", "/fine-tuning/jobs", Api.loraJob(dataset, 4, 2).replace("\"seed\": 7",
                "\"seed\": 7, \"adapter_name\": \"" + "a".repeat(2 << 20) + "\"")).then()
                .statusCode(400).contentType("application/problem+json");
        String deep = "[".repeat(200) + "]".repeat(200);
        Api.post("attacker", "/fine-tuning/jobs", "{\"dataset\": " + deep + "}").then()
                .statusCode(400).contentType("application/problem+json").body("detail", containsString("depth"));
        Api.post("attacker", "/fine-tuning/jobs", Api.loraJob(dataset, 4, 2).replace("[\"q_proj\", \"v_proj\"]",
                "[" + "\"q_proj\",".repeat(100) + "\"v_proj\"]")).then()
                .statusCode(422).body("errors.field", hasItem("method.hyperparameters.target_modules"));
    }

    /** A tenant at its quota is refused (429 naming the limit) while another tenant's job is claimed and runs. */
    @Test
    void tenantOverItsQuotaIsRefusedWhileAnotherTenantsJobRuns() {
        String greedy = TestStack.unique("greedy");
        String other = TestStack.unique("other");
        List<String> parked = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                parked.add(park(greedy, "QUEUED", "now() + interval '1 hour'"));
            }
            String dataset = TestStack.unique("quota");
            stack.known(greedy, dataset, 1, 24, 8);
            Api.post(greedy, "/fine-tuning/jobs", Api.loraJob(dataset, 4, 2)).then()
                    .statusCode(429).contentType("application/problem+json")
                    .body("errors.field", hasItem("max_active_jobs_per_tenant")).body("detail", containsString("20"));
            stack.known(other, dataset, 1, 24, 8);
            String id = Api.post(other, "/fine-tuning/jobs", Api.loraJob(dataset, 4, 2)).then().statusCode(201)
                    .extract().path("id");
            TestStack.await(Duration.ofSeconds(90), "the other tenant's job claimed", () ->
                    Set.of("running", "succeeded").contains(Api.job(other, id).getString("status")));
        } finally {
            unpark(parked);
        }
    }

    /**
     * Fair claim order: a tenant with a job in training and 30 queued waits behind another tenant's single job, queued
     * after all of them; the 31 become claimable in one statement.
     */
    @Test
    void oneTenantsQueueDoesNotStarveAnothersJob() {
        String busy = TestStack.unique("busy");
        List<String> parked = new ArrayList<>();
        try {
            parked.add(park(busy, "RUNNING", "now()"));
            stack.update("update fine_tuning_job set lease_expires_at = now() + interval '1 hour', worker_id = 'elsewhere', "
                    + "started_at = now() where id = ?", parked.get(0));
            for (int i = 0; i < 30; i++) {
                parked.add(park(busy, "QUEUED", "now() + interval '1 hour'"));
            }
            String single = park(TestStack.unique("single"), "QUEUED", "now() + interval '1 hour'");
            parked.add(single);
            stack.update("update fine_tuning_job set not_before = now() where id = any(?) and status = 'QUEUED'",
                    (Object) parked.toArray(String[]::new));
            TestStack.await(Duration.ofSeconds(60), "the single job claimed", () -> stack.count(
                    "select count(*) from fine_tuning_job where id = ? and started_at is not null", single) == 1);
            assertEquals(0, stack.count("select count(*) from fine_tuning_job where tenant = ? and id <> ? and started_at <= "
                    + "(select started_at from fine_tuning_job where id = ?)", busy, parked.get(0), single),
                    "a job of the busy tenant was claimed before the other tenant's single job");
        } finally {
            unpark(parked);
        }
    }

    /**
     * A job whose worker stopped renewing its lease is claimed again, and counted: peftflow_jobs_leases_lost_total and
     * the backlog gauges are what the PrometheusRule in k8s/components/monitoring alerts on.
     */
    @Test
    void aJobClaimedAgainAfterItsLeaseExpiredCountsAsALeaseLost() {
        double lostBefore = meters.get("peftflow.jobs.leases.lost").counter().count();
        String id = park(TestStack.unique("lost"), "RUNNING", "now()");
        try {
            stack.update("update fine_tuning_job set lease_expires_at = now() - interval '1 minute', worker_id = 'dead', "
                    + "attempt = 1, started_at = now() where id = ?", id);
            TestStack.await(Duration.ofSeconds(60), "the job claimed again", () -> stack.count(
                    "select count(*) from fine_tuning_job where id = ? and attempt = 2", id) == 1);
            assertEquals(lostBefore + 1, meters.get("peftflow.jobs.leases.lost").counter().count(), 1e-9);
            backlog.refresh();
            assertTrue(meters.get("peftflow.jobs.oldest.claimable.age").gauge().value() >= 0);
        } finally {
            unpark(List.of(id));
        }
    }

    /** The stream cap: the ninth open stream of one tenant is a 429 naming the limit; another tenant still streams. */
    @Test
    void streamsPerTenantAreCapped() throws Exception {
        String tenant = TestStack.unique("streams");
        String job = park(tenant, "QUEUED", "now() + interval '1 hour'");
        stack.update("insert into job_event (job_id, type, level, message, created_at) values (?, 'training.queued', "
                + "'info', 'parked', now())", job);
        HttpClient http = HttpClient.newHttpClient();
        List<InputStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                HttpResponse<InputStream> r = http.send(stream(tenant, job), HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, r.statusCode());
                open.add(r.body());
            }
            HttpResponse<String> refused = http.send(stream(tenant, job), HttpResponse.BodyHandlers.ofString());
            assertEquals(429, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("max_streams_per_tenant"), refused.body());
            String stranger = TestStack.unique("stranger");
            String theirs = park(stranger, "QUEUED", "now() + interval '1 hour'");
            stack.update("update fine_tuning_job set status = 'CANCELLED', finished_at = now() where id = ?", theirs);
            assertEquals(200, http.send(stream(stranger, theirs), HttpResponse.BodyHandlers.discarding()).statusCode());
        } finally {
            for (InputStream in : open) {
                in.close();
            }
            unpark(List.of(job));
        }
        // Closed streams give their slots back.
        TestStack.await(Duration.ofSeconds(10), "stream slots released", () ->
                http.send(stream(tenant, job), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /**
     * A dataset announcement in the attacker's name whose splits are the victim's: refused (the version is never
     * recorded, so no job can train on it) and dead-lettered.
     */
    @Test
    void anAnnouncementNamingAnotherTenantsSplitsIsRefusedAndDeadLettered() {
        String dataset = TestStack.unique("stolen");
        DatasetVersionReady genuine = stack.known(TestStack.unique("victim"), dataset, 1, 24, 8);
        String attacker = TestStack.unique("attacker");
        DatasetVersionReady forged = new DatasetVersionReady(attacker, dataset, 1, 1, genuine.format(), genuine.balance(),
                genuine.seed(), genuine.validationFraction(), genuine.baseModel(), genuine.uris(), genuine.sha256(),
                genuine.counts(), genuine.labels(), genuine.classWeights(), genuine.lengthUnit(), genuine.lengths(),
                genuine.createdAt());
        stack.send(Topics.DATASET_VERSIONS, attacker + "/" + dataset, EventCodec.wrap("/dataset-service",
                EventTypes.DATASET_VERSION_READY, "datasets/" + attacker + "/" + dataset + "/1", forged)
                .withId(DatasetVersionReady.eventId(attacker, dataset, 1)));
        List<String> deadLettered = stack.read("peftflow.trainer.dead-letters",
                r -> r.value().contains(attacker) ? r.value() : null, found -> !found.isEmpty(), Duration.ofSeconds(60));
        assertEquals(1, deadLettered.size(), "the forged announcement was not dead-lettered");
        assertEquals(0, stack.count("select count(*) from dataset_version where tenant = ?", attacker));
        Api.post(attacker, "/fine-tuning/jobs", Api.loraJob(dataset, 4, 2)).then().statusCode(422)
                .body("errors.field", hasItem("dataset"));
    }

    /** trainer-service's database login reaches its own database and no other service's. */
    @Test
    void theServicesDatabaseLoginCannotTouchAnotherDatabase() throws Exception {
        String url = jdbcUrl.substring(0, jdbcUrl.lastIndexOf('/') + 1);
        try (Connection own = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword)) {
            assertTrue(own.isValid(5));
        }
        for (String other : List.of("registry_test", "gateway_test", "dataset", "gateway")) {
            SQLException refused = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(url + other, dbUser, dbPassword).close(), other);
            assertTrue(refused.getMessage().contains("permission denied"), other + ": " + refused.getMessage());
        }
    }

    private HttpRequest stream(String tenant, String job) {
        return HttpRequest.newBuilder(base.resolve("fine-tuning/jobs/" + job + "/stream")).header("X-Tenant", tenant)
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).build();
    }

    /** A job row no worker will train (a dataset that does not exist), in {@code status}, claimable from {@code notBefore}. */
    private String park(String tenant, String status, String notBefore) {
        String id = "ftjob-" + TestStack.unique("p").replaceAll("[^a-z0-9]", "");
        stack.update("""
                insert into fine_tuning_job (id, tenant, request_id, request_hash, origin, status, adapter_name, dataset_name,
                    dataset_version, base_model, method, hyperparameters, training, seed, created_at, not_before)
                values (?, ?, ?, repeat('0', 64), 'api', ?, 'parked', 'no-such-dataset', 1, 'tiny-llama', 'lora', '{}', '{}', 1,
                    now(), %s)""".formatted(notBefore), id, tenant, id, status);
        return id;
    }

    private void unpark(List<String> ids) {
        for (String id : ids) {
            stack.update("update fine_tuning_job set status = 'CANCELLED', finished_at = now(), lease_expires_at = null "
                    + "where id = ?", id);
        }
    }
}
