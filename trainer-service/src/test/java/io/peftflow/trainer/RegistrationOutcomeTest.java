package io.peftflow.trainer;

import io.peftflow.trainer.jobs.JobService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A trained job waits for the registry ({@code trained}: registration pending) and shows its answer from
 * {@code peftflow.adapter-events}: registered as version N ({@code succeeded}), or the reason it was refused
 * ({@code failed}), in its view and its events. Redelivered answers change nothing.
 */
@QuarkusTest
class RegistrationOutcomeTest {
    private static final String TENANT = "registration";

    @Inject
    TestStack stack;

    @Test
    void aTrainedJobShowsItsRegistrationOrItsRefusal() {
        String dataset = TestStack.unique("reg");
        stack.known(TENANT, dataset, 1, 24, 8);
        String id = Api.post(TENANT, "/fine-tuning/jobs", Api.loraJob(dataset, 2, 2)).then().statusCode(201)
                .extract().path("id");
        JsonPath trained = Api.awaitStatus(TENANT, id, "trained", Duration.ofSeconds(300));
        assertEquals("pending", trained.getString("registration.status"));
        String adapter = trained.getString("adapter_name");

        stack.registered(TENANT, id, adapter, 3);
        stack.registered(TENANT, id, adapter, 3);
        JsonPath done = Api.awaitStatus(TENANT, id, "succeeded", Duration.ofSeconds(60));
        assertEquals("registered", done.getString("registration.status"));
        assertEquals(3, done.getInt("registration.version"));
        assertEquals(adapter, done.getString("registration.adapter"));
        given().header("X-Tenant", TENANT).get("/fine-tuning/jobs/" + id + "/events").then().statusCode(200)
                .body("data.message", hasItem(startsWith("Registered as " + adapter + " v3 (challenger: test registration)")));
        // A late refusal of the same job does not undo its registration.
        stack.refused(TENANT, id, adapter, 3, "late");

        // A second trained job (a copy of the first's row: no need to train again) is refused.
        String refused = JobService.jobId(TENANT, "refused-" + dataset);
        assertEquals(1, stack.update("""
                INSERT INTO fine_tuning_job (id, tenant, request_id, request_hash, origin, status, adapter_name,
                    dataset_name, dataset_version, base_model, method, hyperparameters, training, seed, created_at,
                    not_before, result)
                SELECT ?, tenant, ?, request_hash, origin, 'TRAINED', adapter_name, dataset_name, dataset_version,
                    base_model, method, hyperparameters, training, seed, created_at, not_before, result
                FROM fine_tuning_job WHERE id = ?""", refused, "refused-" + dataset, id));
        stack.refused(TENANT, refused, adapter, 4, "adapter_model.safetensors has SHA-256 00, the event says 11");
        JsonPath failed = Api.awaitStatus(TENANT, refused, "failed", Duration.ofSeconds(60));
        assertEquals("registration_failed", failed.getString("error.code"));
        assertEquals("registration failed: adapter_model.safetensors has SHA-256 00, the event says 11",
                failed.getString("error.message"));
        assertEquals("failed", failed.getString("registration.status"));
        assertNull(failed.get("registration.version"));
        given().header("X-Tenant", TENANT).get("/fine-tuning/jobs/" + refused + "/events").then().statusCode(200)
                .body("data.type", hasItem("training.job-failed"));

        assertEquals("succeeded", Api.job(TENANT, id).getString("status"), "the late refusal changed nothing");
    }
}
