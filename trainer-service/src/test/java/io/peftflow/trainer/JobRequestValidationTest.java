package io.peftflow.trainer;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every bad request is a 4xx problem+json naming the field at fault, and nothing is queued. */
@QuarkusTest
class JobRequestValidationTest {
    private static final String TENANT = "validation";

    @Inject
    TestStack stack;

    String dataset;

    @BeforeEach
    void dataset() {
        dataset = TestStack.unique("val");
        stack.known(TENANT, dataset, 1, 24, 8);
    }

    private void rejected(String body, int status, String field) {
        long before = jobs();
        Api.post(TENANT, "/fine-tuning/jobs", body).then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", is(status))
                .body("errors.field", hasItem(field))
                .body("detail", containsString(field));
        assertEquals(before, jobs(), "nothing queued for a rejected request");
    }

    private long jobs() {
        return stack.count("select count(*) from fine_tuning_job where tenant = ?", TENANT);
    }

    private String job(String replace, String with) {
        String body = Api.loraJob(dataset, 4, 2);
        if (!body.contains(replace)) {
            throw new IllegalArgumentException(replace);
        }
        return body.replace(replace, with);
    }

    @Test
    void unknownDatasetVersionModelOrMethod() {
        rejected(job("\"dataset\": \"" + dataset + "\"", "\"dataset\": \"no-such-dataset\""), 422, "dataset");
        rejected(job("\"dataset\": \"" + dataset + "\"", "\"dataset\": \"" + dataset + "\", \"dataset_version\": 7"), 422,
                "dataset_version");
        rejected(job("\"model\": \"tiny-llama\"", "\"model\": \"no-such-model\""), 422, "model");
        rejected(job("\"type\": \"lora\"", "\"type\": \"ia3\""), 422, "method.type");
    }

    @Test
    void badHyperparametersAndSettings() {
        rejected(job("\"r\": 4", "\"r\": 0"), 422, "method.hyperparameters.r");
        rejected(job("\"r\": 4", "\"r\": -3"), 422, "method.hyperparameters.r");
        rejected(job("\"learning_rate\": 0.01", "\"learning_rate\": 0"), 422, "training.learning_rate");
        rejected(job("\"learning_rate\": 0.01", "\"learning_rate\": -0.1"), 422, "training.learning_rate");
        rejected(job("\"max_steps\": 4", "\"max_steps\": 0"), 422, "training.max_steps");
        rejected(job("\"q_proj\", \"v_proj\"", "\"q_proj\", \"nope_proj\""), 422, "method.hyperparameters.target_modules");
    }

    /** The registry's naming rule is checked at creation: a job or policy it would refuse never trains. */
    @Test
    void namesTheRegistryWouldRefuseAre422() {
        for (String bad : new String[] {"Transactions", "transactions_seq_bn", "tx.v2", "-tx", "x".repeat(64)}) {
            rejected(job("\"seed\": 7", "\"seed\": 7, \"adapter_name\": \"" + bad + "\""), 422, "adapter_name");
        }
        Api.put(TENANT, "/fine-tuning/policies/" + dataset, job("\"seed\": 7", "\"seed\": 7, \"adapter_name\": \"Tx_1\"")
                        .replace("\"dataset\": \"" + dataset + "\",", "")).then()
                .statusCode(422).contentType("application/problem+json").body("errors.field", hasItem("adapter_name"));
    }

    /** Each method's default adapter name, {@code <dataset>-<method>} with '_' as '-', is one the registry accepts. */
    @Test
    void defaultAdapterNamesAreValidForEveryMethod() {
        for (String method : new String[] {"lora", "seq_bn", "double_seq_bn", "prompt_tuning"}) {
            String body = """
                    {"dataset": "%s", "model": "tiny-llama", "method": {"type": "%s"}, "training": {"max_steps": 1, "batch_size": 2}}"""
                    .formatted(dataset, method);
            String id = Api.post(TENANT, "/fine-tuning/jobs", body).then().statusCode(201)
                    .body("adapter_name", is(dataset + "-" + method.replace('_', '-'))).extract().path("id");
            given().header("X-Tenant", TENANT).post("/fine-tuning/jobs/" + id + "/cancel").then().statusCode(200);
        }
    }

    @Test
    void planThatDoesNotFitTheWorkersDevice() {
        // 2 GiB of worker memory in tests: 4096 sequences of 512 tokens need far more.
        rejected(job("\"batch_size\": 8", "\"batch_size\": 4096"), 422, "training.batch_size");
    }

    @Test
    void malformedBodies() {
        rejected(job("\"max_steps\": 4", "\"max_steps\": \"four\""), 400, "training.max_steps");
        rejected(job("\"seed\": 7", "\"seed\": 7, \"learning_rate\": 0.1"), 400, "learning_rate");
        rejected(job("\"dataset\": \"" + dataset + "\",", ""), 400, "dataset");
        rejected(job("\"method\": {", "\"method\": 5, \"x\": {"), 400, "x");
        long before = jobs();
        given().header("X-Tenant", TENANT).contentType("application/json").body("{not json").post("/fine-tuning/jobs")
                .then().statusCode(400).contentType("application/problem+json");
        given().header("X-Tenant", "Bad Tenant").contentType("application/json").body(Api.loraJob(dataset, 4, 2))
                .post("/fine-tuning/jobs").then().statusCode(400).body("errors.field", hasItem("X-Tenant"));
        assertEquals(before, jobs());
    }

    @Test
    void unknownJobIs404() {
        given().header("X-Tenant", TENANT).get("/fine-tuning/jobs/ftjob-nope").then().statusCode(404)
                .contentType("application/problem+json");
        given().header("X-Tenant", TENANT).post("/fine-tuning/jobs/ftjob-nope/cancel").then().statusCode(404);
        given().header("X-Tenant", TENANT).get("/fine-tuning/jobs?limit=0").then().statusCode(400)
                .body("errors.field", hasItem("limit"));
        given().header("X-Tenant", TENANT).get("/fine-tuning/jobs?status=flying").then().statusCode(400)
                .body("errors.field", hasItem("status"));
    }
}
