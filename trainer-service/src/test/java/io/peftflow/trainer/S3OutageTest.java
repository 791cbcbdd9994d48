package io.peftflow.trainer;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The object store misbehaving under a running job (the test profile's lease is 4 s): a store that hangs while the
 * results upload does not cost the worker its lease, and a store that restarts mid-job is waited for, not fatal.
 */
@QuarkusTest
class S3OutageTest {
    private static final String TENANT = "s3-outage";

    @Inject
    TestStack stack;

    @Test
    void theLeaseIsRenewedWhileTheResultsUpload() throws Exception {
        String dataset = TestStack.unique("slow");
        // A large validation split: the tuned evaluation between the final checkpoint and the results upload takes
        // long enough for the test to freeze the store in between; the worker thread's stack then shows the upload.
        stack.known(TENANT, dataset, 1, 40, 240);
        String id = Api.post(TENANT, "/fine-tuning/jobs", Api.loraJob(dataset, 6, 1000)).then().statusCode(201)
                .extract().path("id");
        TestStack.await(Duration.ofSeconds(180), "the final checkpoint of " + id, () ->
                stack.count("select count(*) from fine_tuning_job where id = ? and last_checkpoint_step = 6", id) == 1);
        TestStack.signal("s3proxy", "STOP");
        try {
            TestStack.await(Duration.ofSeconds(120), "the worker uploading the results of " + id, () ->
                    workerStack().contains("JobRunner.succeed"));
            Thread.sleep(Duration.ofSeconds(10).toMillis()); // 2.5 leases
            JsonPath job = Api.job(TENANT, id);
            assertEquals("running", job.getString("status"), "the results cannot be stored while the store hangs");
            assertEquals(1, stack.count("select count(*) from fine_tuning_job where id = ? and lease_expires_at > now()", id),
                    "the heartbeat renewed the lease during the upload");
        } finally {
            TestStack.signal("s3proxy", "CONT");
        }
        JsonPath done = Api.awaitStatus(TENANT, id, "trained", Duration.ofSeconds(120));
        assertEquals(1, done.getInt("attempt"), "trained once");
    }

    /** What this JVM's worker thread is doing (the test runs in the service's JVM). */
    private static String workerStack() {
        return Thread.getAllStackTraces().entrySet().stream().filter(e -> e.getKey().getName().equals("trainer-worker"))
                .map(e -> Arrays.toString(e.getValue())).findFirst().orElse("");
    }

    @Test
    void aJobWaitsForTheObjectStoreToComeBack() throws Exception {
        String dataset = TestStack.unique("restart");
        stack.known(TENANT, dataset, 1, 40, 10);
        String id = Api.post(TENANT, "/fine-tuning/jobs", Api.loraJob(dataset, 150, 3)).then().statusCode(201)
                .extract().path("id");
        Api.awaitStatus(TENANT, id, "running", Duration.ofSeconds(120));
        try {
            TestStack.stack("down", "s3");
            assertEquals("running", Api.job(TENANT, id).getString("status"), "the job must run into the outage");
            Thread.sleep(2000); // checkpoints (every 3 steps) fail meanwhile
        } finally {
            TestStack.stack("up", "s3");
        }
        JsonPath done = Api.awaitStatus(TENANT, id, "trained", Duration.ofSeconds(240));
        assertEquals(1, done.getInt("attempt"));
        assertNull(done.get("error"), "no error");
        assertTrue(done.getInt("result.steps") == 150, done.prettify());
    }
}
