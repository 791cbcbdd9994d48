package io.peftflow.trainer;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The same Idempotency-Key twice makes one job; reused for another request it is a 409. */
@QuarkusTest
class IdempotencyTest {
    private static final String TENANT = "idempotency";

    @Inject
    TestStack stack;

    @Test
    void sameKeyTwiceIsOneJob() {
        String dataset = TestStack.unique("idem");
        stack.known(TENANT, dataset, 1, 24, 8);
        String body = Api.loraJob(dataset, 400, 100);
        String id = given().header("X-Tenant", TENANT).header("Idempotency-Key", "k-" + dataset)
                .contentType("application/json").body(body).post("/fine-tuning/jobs")
                .then().statusCode(201).body("object", is("fine_tuning.job")).extract().path("id");
        given().header("X-Tenant", TENANT).header("Idempotency-Key", "k-" + dataset)
                .contentType("application/json").body(body).post("/fine-tuning/jobs")
                .then().statusCode(200).body("id", is(id));
        given().header("X-Tenant", TENANT).header("Idempotency-Key", "k-" + dataset)
                .contentType("application/json").body(body.replace("\"seed\": 7", "\"seed\": 8")).post("/fine-tuning/jobs")
                .then().statusCode(409).contentType("application/problem+json");
        assertEquals(1, stack.count("select count(*) from fine_tuning_job where tenant = ? and dataset_name = ?", TENANT, dataset));

        // Another tenant's key space is its own; and a tenant never sees another's job.
        given().header("X-Tenant", "other-" + TENANT).get("/fine-tuning/jobs/" + id).then().statusCode(404);
        given().header("X-Tenant", TENANT).post("/fine-tuning/jobs/" + id + "/cancel").then().statusCode(200);
        Api.awaitStatus(TENANT, id, "cancelled", java.time.Duration.ofSeconds(120));
        given().header("X-Tenant", TENANT).post("/fine-tuning/jobs/" + id + "/cancel").then().statusCode(200)
                .body("status", is("cancelled"));
    }

    @Test
    void listPagesWithACursor() {
        String dataset = TestStack.unique("page");
        stack.known(TENANT, dataset, 1, 24, 8);
        // A policy with a long debounce queues jobs no worker takes: three of them through three keys.
        for (int i = 0; i < 3; i++) {
            String id = given().header("X-Tenant", TENANT).header("Idempotency-Key", dataset + "-" + i)
                    .contentType("application/json").body(Api.loraJob(dataset, 400, 100)).post("/fine-tuning/jobs")
                    .then().statusCode(201).extract().path("id");
            given().header("X-Tenant", TENANT).post("/fine-tuning/jobs/" + id + "/cancel").then().statusCode(200);
        }
        var first = given().header("X-Tenant", TENANT).get("/fine-tuning/jobs?dataset=" + dataset + "&limit=2")
                .then().statusCode(200).body("object", is("list")).body("has_more", is(true)).extract().jsonPath();
        assertEquals(2, first.getList("data").size());
        given().header("X-Tenant", TENANT).get("/fine-tuning/jobs?dataset=" + dataset + "&limit=2&after=" + first.getString("last_id"))
                .then().statusCode(200).body("data.size()", is(1)).body("has_more", is(false));
    }
}
