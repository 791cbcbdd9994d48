package io.peftflow.trainer;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * OpenAI's job request at {@code /fine_tuning/jobs} maps onto peftflow's fields, answers with OpenAI's job object, and
 * is refused field by field like peftflow's own (the SDK's whole round trip is the gateway's OpenAiSdkTest).
 */
@QuarkusTest
class OpenAiRequestTest {
    private static final String TENANT = "openai";

    @Inject
    TestStack stack;

    String dataset;

    @BeforeEach
    void dataset() {
        dataset = TestStack.unique("oai");
        stack.known(TENANT, dataset, 1, 24, 8);
    }

    @Test
    void openAisFieldsMapOntoPeftflows() {
        JsonPath job = Api.post(TENANT, "/fine_tuning/jobs", """
                        {"model": "tiny-llama", "training_file": "file-ds-%s-v1", "validation_file": "file-ds-%s-v1",
                         "suffix": "%s-tuned", "seed": 3,
                         "method": {"type": "supervised", "supervised": {"hyperparameters":
                             {"n_epochs": 2, "batch_size": 4, "learning_rate_multiplier": 2}}}}"""
                        .formatted(dataset, dataset, dataset))
                .then().statusCode(201).body("object", is("fine_tuning.job")).extract().jsonPath();
        String id = job.getString("id");
        assertEquals("file-ds-" + dataset + "-v1", job.getString("training_file"));
        assertEquals("supervised", job.getString("method.type"));
        assertEquals(2, job.getInt("method.supervised.hyperparameters.n_epochs"));
        assertEquals(4, job.getInt("hyperparameters.batch_size"));
        assertEquals(2.0, job.getDouble("hyperparameters.learning_rate_multiplier"), 1e-9);
        assertEquals(dataset + "-tuned", job.getString("user_provided_suffix"));
        assertEquals(TENANT, job.getString("organization_id"));
        assertEquals(0, job.getList("result_files").size());
        assertNull(job.get("fine_tuned_model"));

        // The same job in peftflow's own view: LoRA with the settings OpenAI's hyperparameters stand for.
        JsonPath own = Api.job(TENANT, id);
        assertEquals("lora", own.getString("method.type"));
        assertEquals(dataset + "-tuned", own.getString("adapter_name"));
        assertEquals(2, own.getInt("training.epochs"));
        assertEquals(4, own.getInt("training.batch_size"));
        assertEquals(4e-4, own.getDouble("training.learning_rate"), 1e-12);
        assertEquals(3, own.getLong("seed"));
        given().header("X-Tenant", TENANT).post("/fine_tuning/jobs/" + id + "/cancel").then().statusCode(200);

        // The legacy top-level hyperparameters, a version path and "auto".
        String legacy = Api.post(TENANT, "/fine_tuning/jobs", """
                        {"model": "tiny-llama", "training_file": "datasets/%s/versions/1",
                         "hyperparameters": {"n_epochs": "auto", "batch_size": 2}}""".formatted(dataset))
                .then().statusCode(201).body("hyperparameters.batch_size", is(2))
                .body("hyperparameters.n_epochs", is(3)).extract().path("id"); // "auto": AutoSettings
        given().header("X-Tenant", TENANT).post("/fine_tuning/jobs/" + legacy + "/cancel").then().statusCode(200);
    }

    private void refused(String body, int status, String field) {
        Api.post(TENANT, "/fine_tuning/jobs", body).then().statusCode(status)
                .contentType("application/problem+json").body("errors.field", hasItem(field))
                .body("detail", containsString(field));
    }

    @Test
    void mixedOrUnknownFieldsAreRefusedByName() {
        String file = "\"model\": \"tiny-llama\", \"training_file\": \"file-ds-" + dataset + "-v1\"";
        refused("{" + file + ", \"integrations\": []}", 400, "integrations");
        refused("{" + file + ", \"dataset\": \"" + dataset + "\"}", 400, "dataset");
        refused("{" + file + ", \"hyperparameters\": {\"n_epochs\": 1}, \"training\": {\"epochs\": 2}}", 400,
                "training.epochs");
        refused("{" + file + ", \"hyperparameters\": {\"n_epochs\": 1, \"warmup\": 2}}", 400, "hyperparameters.warmup");
        refused("{" + file + ", \"method\": {\"type\": \"supervised\", \"hyperparameters\": {}}}", 400,
                "method.hyperparameters");
        refused("{" + file + ", \"validation_file\": \"other-dataset\"}", 400, "validation_file");
        refused("{\"model\": \"tiny-llama\", \"training_file\": \"file-ftjob-0123456789abcdef01234567\"}", 400,
                "training_file");
        refused("{\"model\": \"tiny-llama\", \"training_file\": \"Not A File\"}", 400, "training_file");
        refused("{" + file + ", \"suffix\": \"a\", \"adapter_name\": \"b\"}", 400, "suffix");
        refused("{" + file + ", \"suffix\": \"Not_A_Name\"}", 422, "suffix");
        refused("{" + file + ", \"method\": {\"type\": \"dpo\"}}", 422, "method.type");
        // A version never announced: the request waits for it (1 s in tests), then names it.
        refused("{\"model\": \"tiny-llama\", \"training_file\": \"file-ds-" + dataset + "-v9\"}", 422, "training_file");
        assertEquals(0, stack.count("select count(*) from fine_tuning_job where tenant = ? and dataset_name = ?", TENANT,
                dataset));
    }

    @Test
    void missingJobsAndFilesAre404() {
        given().header("X-Tenant", TENANT).get("/fine_tuning/jobs/ftjob-nope").then().statusCode(404)
                .contentType("application/problem+json");
        given().header("X-Tenant", TENANT).get("/fine_tuning/jobs/ftjob-nope/checkpoints").then().statusCode(404);
        given().header("X-Tenant", TENANT).get("/files/file-ftjob-0123456789abcdef01234567/content").then()
                .statusCode(404).body("detail", containsString("file-ftjob-0123456789abcdef01234567"));
        given().header("X-Tenant", TENANT).get("/files/file-ds-x-v1").then().statusCode(404);
        given().header("X-Tenant", TENANT).get("/fine_tuning/jobs?limit=1").then().statusCode(200)
                .body("object", is("list"));
    }
}
