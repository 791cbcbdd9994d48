package io.peftflow.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.Topics;
import io.peftflow.events.training.DatasetRef;
import io.peftflow.events.training.TrainingRequested;
import io.peftflow.events.training.TrainingSettings;
import io.peftflow.trainer.jobs.JobService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The intake consumers' failure strategy on the real stack: records that can never be processed go to
 * {@code peftflow.trainer.dead-letters} and the channel goes on; a record that arrives while PostgreSQL is down is
 * processed once it is back, not dropped and not dead-lettered.
 */
@QuarkusTest
class IntakeFailuresTest {
    private static final String TENANT = "intake";

    @Inject
    TestStack stack;

    private static TrainingRequested request(String requestId, String dataset, String adapterName) throws Exception {
        return new TrainingRequested(requestId, TENANT, TrainingRequested.ORIGIN_API, adapterName,
                DatasetRef.of(dataset, 0), "tiny-llama", new TrainingRequested.MethodSpec("lora",
                new ObjectMapper().readTree("{\"r\": 4, \"target_modules\": [\"q_proj\", \"v_proj\"]}")),
                new TrainingSettings(5, null, 8, 0.01, null, null, null), 5, OffsetDateTime.now());
    }

    private void send(TrainingRequested r) {
        stack.send(Topics.TRAINING_REQUESTS, r.tenant() + "/" + r.requestId(), EventCodec.wrap("/test",
                EventTypes.TRAINING_REQUESTED, "fine-tuning/requests/" + r.requestId(), r)
                .withId(TrainingRequested.eventId(r.tenant(), r.requestId())));
    }

    private long jobs(String requestId) {
        return stack.count("select count(*) from fine_tuning_job where id = ?", JobService.jobId(TENANT, requestId));
    }

    /** The dead letters with these keys, by key: their headers as text. */
    private Map<String, Map<String, String>> deadLetters(Set<String> keys, Duration timeout) {
        return stack.read(Topics.TRAINER_DEAD_LETTERS, r -> keys.contains(r.key()) ? r : null,
                        found -> found.size() >= keys.size(), timeout).stream()
                .collect(Collectors.toMap(ConsumerRecord::key, r -> headers(r), (a, b) -> a));
    }

    private static boolean orNotYet(TestStack.Check check) throws Exception {
        try {
            return check.ok();
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static Map<String, String> headers(ConsumerRecord<String, String> r) {
        return StreamSupport.stream(r.headers().spliterator(), false).collect(Collectors.toMap(
                Header::key, h -> h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8), (a, b) -> b));
    }

    @Test
    void recordsThatCanNeverSucceedAreDeadLetteredAndTheChannelsGoOn() throws Exception {
        String dataset = TestStack.unique("poison");
        String unreadable = TENANT + "/unreadable-" + dataset;
        stack.send(Topics.TRAINING_REQUESTS, unreadable, "{not a cloud event");
        // Well-formed, but the database refuses them: names longer than their columns.
        TrainingRequested tooLong = request("long-" + dataset, dataset, "a".repeat(200));
        send(tooLong);
        String longDataset = "d".repeat(100);
        stack.announce(TENANT, longDataset, 1, 8, 2, 1);

        // Behind them, records that can succeed are processed: neither channel stopped.
        stack.known(TENANT, dataset, 1, 40, 10);
        TrainingRequested fine = request("fine-" + dataset, dataset, dataset + "-adapter");
        send(fine);
        TestStack.await(Duration.ofSeconds(30), "the good request's job", () -> jobs(fine.requestId()) == 1);
        assertEquals(0, jobs(tooLong.requestId()));
        assertEquals(0, stack.count("select count(*) from dataset_version where dataset = ?", longDataset));

        String tooLongKey = TENANT + "/" + tooLong.requestId();
        String longDatasetKey = TENANT + "/" + longDataset;
        Map<String, Map<String, String>> dead = deadLetters(Set.of(unreadable, tooLongKey, longDatasetKey),
                Duration.ofSeconds(30));
        assertEquals(Set.of(unreadable, tooLongKey, longDatasetKey), dead.keySet(), "dead-lettered");
        assertEquals(Topics.TRAINING_REQUESTS, dead.get(unreadable).get("dead-letter-topic"));
        assertTrue(dead.get(unreadable).get("dead-letter-reason").contains("not a CloudEvent"), dead.get(unreadable).toString());
        assertTrue(dead.get(tooLongKey).toString().contains("too long"), dead.get(tooLongKey).toString());
        assertEquals(Topics.DATASET_VERSIONS, dead.get(longDatasetKey).get("dead-letter-topic"));
    }

    @Test
    void recordsThatArriveWhilePostgresIsDownAreProcessedWhenItIsBack() throws Exception {
        String dataset = TestStack.unique("pgdown");
        // Both consumers have their partitions and run before the outage (a group's first join takes seconds). The
        // requests name a dataset that has no version: their jobs fail validation instead of training.
        stack.known(TENANT, dataset, 1, 8, 2);
        TrainingRequested before = request("before-" + dataset, dataset + "-none", dataset + "-adapter");
        send(before);
        TestStack.await(Duration.ofSeconds(30), "the job requested before the outage", () -> jobs(before.requestId()) == 1);
        TrainingRequested r = request("pgdown-" + dataset, dataset + "-none", dataset + "-adapter");
        try {
            TestStack.stack("down", "postgres");
            stack.announce(TENANT, dataset, 2, 8, 2, 1);
            send(r);
            Thread.sleep(4000); // several attempts fail meanwhile
        } finally {
            TestStack.stack("up", "postgres");
        }
        // The pool's connections from before the restart fail once each: a failed look is a "not yet".
        TestStack.await(Duration.ofSeconds(60), "the version announced during the outage", () -> orNotYet(() ->
                stack.count("select count(*) from dataset_version where tenant = ? and dataset = ? and version = 2", TENANT,
                        dataset) == 1));
        TestStack.await(Duration.ofSeconds(60), "the job requested during the outage", () ->
                orNotYet(() -> jobs(r.requestId()) == 1));
        // Validated like any request: both fail naming the unknown dataset (a refusal rolled back would leave them,
        // and every Kafka request validated after them, in validating_files).
        for (TrainingRequested t : List.of(before, r)) {
            assertTrue(Api.awaitStatus(TENANT, JobService.jobId(TENANT, t.requestId()), "failed", Duration.ofSeconds(30))
                    .getString("error.message").contains("unknown dataset"));
        }
        List<ConsumerRecord<String, String>> dead = stack.read(Topics.TRAINER_DEAD_LETTERS,
                x -> x.key() != null && x.key().contains(dataset) ? x : null, found -> false, Duration.ofSeconds(3));
        assertEquals(List.of(), dead, "nothing of the outage was dead-lettered");
    }
}
