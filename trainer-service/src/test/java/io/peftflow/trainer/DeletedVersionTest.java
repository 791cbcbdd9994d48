package io.peftflow.trainer;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Deleted stays deleted ({@code dataset.version-deleted} from dataset-service): no new job on the version (422),
 * "latest" skips it, a job queued on it fails with that reason, and a job already running finishes with lineage that
 * says the data was deleted.
 */
@QuarkusTest
class DeletedVersionTest {
    private static final String TENANT = "deleted";

    @Inject
    TestStack stack;

    @Test
    void newJobsOnADeletedVersionAre422AndLatestSkipsIt() {
        String dataset = TestStack.unique("del");
        stack.known(TENANT, dataset, 1, 24, 8);
        stack.known(TENANT, dataset, 2, 24, 8);
        stack.deleted(TENANT, dataset, 2);
        String onV2 = Api.loraJob(dataset, 2, 2).replace("\"seed\": 7", "\"seed\": 7, \"dataset_version\": 2");
        Api.post(TENANT, "/fine-tuning/jobs", onV2).then().statusCode(422)
                .body("errors.field", hasItem("dataset_version"))
                .body("detail", is("dataset_version: dataset '" + dataset + "' version 2 was deleted"));
        String id = Api.post(TENANT, "/fine-tuning/jobs", Api.loraJob(dataset, 2, 2)).then().statusCode(201)
                .body("dataset.version", is(1)).extract().path("id");
        given().header("X-Tenant", TENANT).post("/fine-tuning/jobs/" + id + "/cancel").then().statusCode(200);

        stack.deleted(TENANT, dataset, 1);
        Api.post(TENANT, "/fine-tuning/jobs", Api.loraJob(dataset, 2, 2)).then().statusCode(422)
                .body("detail", is("dataset_version: dataset '" + dataset + "' has no version left: every version was deleted"));
    }

    @Test
    void aQueuedJobOnADeletedVersionFailsWithThatReason() {
        String dataset = TestStack.unique("delq");
        // A policy's debounce keeps its job queued, out of the workers' reach.
        Api.put(TENANT, "/fine-tuning/policies/" + dataset, """
                {"model": "tiny-llama", "method": {"type": "lora"}, "training": {"max_steps": 2, "batch_size": 2},
                 "debounce_seconds": 3600}""").then().statusCode(200);
        stack.known(TENANT, dataset, 1, 24, 8);
        TestStack.await(Duration.ofSeconds(30), "the policy's job", () -> stack.count(
                "select count(*) from fine_tuning_job where tenant = ? and dataset_name = ?", TENANT, dataset) == 1);
        stack.deleted(TENANT, dataset, 1);
        String id = given().header("X-Tenant", TENANT).get("/fine-tuning/jobs?dataset=" + dataset).then()
                .statusCode(200).extract().path("data[0].id");
        JsonPath failed = Api.awaitStatus(TENANT, id, "failed", Duration.ofSeconds(30));
        assertEquals("user_error", failed.getString("error.code"));
        assertEquals("dataset '" + dataset + "' version 1 was deleted", failed.getString("error.message"));
    }

    @Test
    void aRunningJobFinishesAndItsLineageSaysTheDataWasDeleted() {
        String dataset = TestStack.unique("delr");
        stack.known(TENANT, dataset, 1, 40, 10);
        String id = Api.post(TENANT, "/fine-tuning/jobs", Api.loraJob(dataset, 60, 30)).then().statusCode(201)
                .extract().path("id");
        Api.awaitStatus(TENANT, id, "running", Duration.ofSeconds(120));
        stack.deleted(TENANT, dataset, 1);
        JsonPath trained = Api.awaitStatus(TENANT, id, "trained", Duration.ofSeconds(300));
        assertNotNull(trained.get("result.lineage.dataset_deleted_at"), trained.prettify());
    }
}
