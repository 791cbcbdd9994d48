package io.peftflow.trainer;

import io.peftflow.events.EventTypes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cancel while running: cancelled within seconds, checkpoints kept, no succeeded event; a client following the job's
 * SSE stream sees it train, then the cancellation, then the end of the stream.
 */
@QuarkusTest
class CancelTest {
    private static final String TENANT = "cancel";

    @Inject
    TestStack stack;

    @TestHTTPResource("/fine-tuning/jobs")
    URI jobs;

    @Test
    void cancelRunningJob() throws Exception {
        String dataset = TestStack.unique("cnl");
        stack.known(TENANT, dataset, 1, 40, 10);
        String id = Api.post(TENANT, "/fine-tuning/jobs", Api.loraJob(dataset, 5000, 3)).then().statusCode(201)
                .extract().path("id");
        TestStack.await(Duration.ofSeconds(240), "a checkpoint of job " + id, () ->
                !given().header("X-Tenant", TENANT).get("/fine-tuning/jobs/" + id + "/checkpoints").then()
                        .statusCode(200).extract().jsonPath().getList("data").isEmpty());
        // Follow the running job: the stream polls its log until the final status.
        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(jobs + "/" + id + "/stream")).header("X-Tenant", TENANT).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        Iterator<String> lines = stream.body().iterator();
        assertTrue(readUntil(lines, "event:training.progress"), "a progress event while the job runs");
        given().header("X-Tenant", TENANT).post("/fine-tuning/jobs/" + id + "/cancel").then().statusCode(200);
        long asked = System.nanoTime();
        JsonPath job = Api.awaitStatus(TENANT, id, "cancelled", Duration.ofSeconds(30));
        double seconds = (System.nanoTime() - asked) / 1e9;
        assertTrue(seconds < 10, "cancelled after " + seconds + " s");
        assertTrue(readUntil(lines, "event:training.job-cancelled"), "the stream delivers the cancellation");
        while (lines.hasNext()) {
            lines.next(); // and then ends
        }
        assertTrue(job.getInt("progress.last_checkpoint_step") >= 3);

        List<String> uris = given().header("X-Tenant", TENANT).get("/fine-tuning/jobs/" + id + "/checkpoints").then()
                .extract().jsonPath().getList("data.uri", String.class);
        String last = uris.get(0);
        assertTrue(last.endsWith("/step-" + job.getInt("progress.last_checkpoint_step") + "/"), last);
        String prefix = last.substring("s3://peftflow-checkpoints/".length());
        assertFalse(stack.list("peftflow-checkpoints", prefix).isEmpty(), "the last checkpoint is kept in S3");
        assertEquals(0, stack.count("select count(*) from outbox_event where record_key = ? and payload like ?",
                TENANT + "/" + id, "%" + EventTypes.TRAINING_JOB_SUCCEEDED + "%"));
        assertEquals(1, stack.count("select count(*) from outbox_event where record_key = ? and payload like ?",
                TENANT + "/" + id, "%" + EventTypes.TRAINING_JOB_CANCELLED + "%"));
        // A finished job cannot be cancelled again into another state.
        given().header("X-Tenant", TENANT).post("/fine-tuning/jobs/" + id + "/cancel").then().statusCode(200);
    }

    private static boolean readUntil(Iterator<String> lines, String line) {
        while (lines.hasNext()) {
            if (lines.next().equals(line)) {
                return true;
            }
        }
        return false;
    }
}
