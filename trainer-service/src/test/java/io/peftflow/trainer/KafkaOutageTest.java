package io.peftflow.trainer;

import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventTypes;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kafka stopped during a job: the job finishes, and its events reach Kafka once the broker is back. */
@QuarkusTest
class KafkaOutageTest {
    private static final String TENANT = "outage";

    @Inject
    TestStack stack;

    @Test
    void jobFinishesWithoutKafkaAndItsEventsFollow() throws Exception {
        String dataset = TestStack.unique("out");
        stack.known(TENANT, dataset, 1, 40, 10);
        String id = Api.post(TENANT, "/fine-tuning/jobs", Api.loraJob(dataset, 90, 30)).then().statusCode(201)
                .extract().path("id");
        try {
            // Down at once, not once the job runs: stopping the broker takes about as long as a short job's rest.
            TestStack.stack("down", "kafka");
            Api.awaitStatus(TENANT, id, "trained", Duration.ofSeconds(300));
            assertTrue(stack.count("select count(*) from outbox_event where record_key = ? and sent_at is null and payload like ?",
                    TENANT + "/" + id, "%" + EventTypes.TRAINING_JOB_SUCCEEDED + "%") == 1, "succeeded event waits in the outbox");
        } finally {
            TestStack.stack("up", "kafka");
        }
        List<CloudEvent> events = stack.jobEvents(id, Duration.ofSeconds(120));
        assertEquals(1, events.stream().filter(e -> e.type().equals(EventTypes.TRAINING_JOB_SUCCEEDED)).count());

        // Registered: the job's final status, after which its stream ends.
        stack.registered(TENANT, id, dataset + "-lora", 1);
        Api.awaitStatus(TENANT, id, "succeeded", Duration.ofSeconds(60));

        // The log of the job, over SSE: every event up to the final one, then the stream ends.
        given().header("X-Tenant", TENANT).get("/fine-tuning/jobs/" + id + "/stream").then().statusCode(200)
                .body(containsString("event:training.job-started"), containsString("event:training.progress"),
                        containsString("event:training.job-succeeded"), containsString("event:training.registered"));
    }
}
