package io.peftflow.gateway;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A job that leaves {@code adapter_name} out trains under its default name, and for every PEFT method that name is
 * one the registry accepts: each job's adapter ends registered (once lost silently for three of the four methods),
 * and the job says so: {@code succeeded} only once registered, with the version in its view and its events.
 */
@QuarkusTest
class DefaultAdapterNamesTest {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void everyMethodsDefaultNamedJobEndsRegistered() {
        Keys.Key key = Keys.create("names-" + RUN);
        given().header("Authorization", key.bearer()).contentType("application/x-ndjson")
                .body(Samples.transactions(40).getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/datasets/transactions/versions?on_invalid=drop")
                .then().statusCode(201);
        Map<String, String> jobs = new LinkedHashMap<>();
        for (String method : new String[] {"lora", "seq_bn", "double_seq_bn", "prompt_tuning"}) {
            jobs.put(method, Training.startJob(key, """
                    {"dataset": "transactions", "model": "tiny-llama", "method": {"type": "%s"},
                     "training": {"max_steps": 2, "batch_size": 2}}""".formatted(method)));
        }
        jobs.forEach((method, id) -> {
            String adapter = "transactions-" + method.replace('_', '-');
            // A job succeeds once the registry has registered its adapter, and says as what.
            JsonPath job = Training.awaitSucceeded(key, id);
            assertEquals(adapter, job.getString("adapter_name"));
            assertEquals("registered", job.getString("registration.status"));
            assertEquals(1, job.getInt("registration.version"));
            given().header("Authorization", key.bearer()).when().get("/v1/fine-tuning/jobs/" + id + "/events")
                    .then().statusCode(200).body("data.message", hasItem(startsWith("Registered as " + adapter + " v1")));
            Training.awaitVersion(key, adapter, 1);
            given().header("Authorization", key.bearer()).when().get("/v1/adapters/" + adapter + "/versions/1")
                    .then().statusCode(200).body("lineage.jobId", is(id));
        });
    }
}
