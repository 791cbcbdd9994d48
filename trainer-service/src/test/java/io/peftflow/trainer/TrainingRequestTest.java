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
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests on {@code peftflow.training-requests}: delivered twice they make one job, and a job that trains longer
 * than the consumer's {@code max.poll.interval.ms} (3 s in tests) starts once.
 */
@QuarkusTest
class TrainingRequestTest {
    private static final String TENANT = "requests";

    @Inject
    TestStack stack;

    private static TrainingRequested request(String requestId, String dataset, int r, int steps) throws Exception {
        return new TrainingRequested(requestId, TENANT, TrainingRequested.ORIGIN_API, dataset + "-adapter",
                DatasetRef.of(dataset, 0), "tiny-llama", new TrainingRequested.MethodSpec("lora", new ObjectMapper()
                .readTree("{\"r\": " + r + ", \"target_modules\": [\"q_proj\", \"v_proj\"]}")),
                new TrainingSettings(steps, null, 8, 0.01, null, null, 10), 5, OffsetDateTime.now());
    }

    private void send(TrainingRequested r) {
        stack.send(Topics.TRAINING_REQUESTS, r.tenant() + "/" + r.requestId(), EventCodec.wrap("/test",
                EventTypes.TRAINING_REQUESTED, "fine-tuning/requests/" + r.requestId(), r)
                .withId(TrainingRequested.eventId(r.tenant(), r.requestId())));
    }

    @Test
    void requestTwiceIsOneJobStartedOnceThoughItOutlastsThePollInterval() throws Exception {
        String dataset = TestStack.unique("req");
        stack.known(TENANT, dataset, 1, 40, 10);
        // More steps than the other tests so the job outlasts max.poll.interval.ms (3 s in tests) on a quiet machine.
        TrainingRequested r = request("req-" + dataset, dataset, 4, 150);
        send(r);
        send(r);
        String id = JobService.jobId(TENANT, r.requestId());
        TestStack.await(Duration.ofSeconds(30), "the request's job", () ->
                stack.count("select count(*) from fine_tuning_job where id = ?", id) == 1);
        JsonPath done = Api.awaitStatus(TENANT, id, "trained", Duration.ofSeconds(300));
        assertEquals(1, done.getInt("attempt"));
        assertEquals(1, stack.count("select count(*) from fine_tuning_job where tenant = ? and dataset_name = ?", TENANT, dataset));
        assertEquals(1, stack.count("select count(*) from job_event where job_id = ? and type = 'training.job-started'", id));
        assertEquals(1, stack.count("select count(*) from outbox_event where record_key = ? and payload like ?",
                TENANT + "/" + id, "%" + EventTypes.TRAINING_JOB_SUCCEEDED + "%"));
    }

    @Test
    void invalidRequestFailsAsAUserErrorNamingTheField() throws Exception {
        String dataset = TestStack.unique("badreq");
        stack.known(TENANT, dataset, 1, 24, 8);
        TrainingRequested r = request("bad-" + dataset, dataset, 0, 4);
        send(r);
        String id = JobService.jobId(TENANT, r.requestId());
        TestStack.await(Duration.ofSeconds(30), "the request's job", () ->
                stack.count("select count(*) from fine_tuning_job where id = ?", id) == 1);
        JsonPath failed = Api.awaitStatus(TENANT, id, "failed", Duration.ofSeconds(30));
        assertEquals("user_error", failed.getString("error.code"));
        assertTrue(failed.getString("error.message").contains("method.hyperparameters.r"), failed.getString("error.message"));
    }
}
