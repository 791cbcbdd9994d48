package io.peftflow.gateway;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A job that leaves {@code adapter_name} out trains under its default name, and for every PEFT method that name is
 * one the registry accepts: each job's adapter ends registered (once lost silently for three of the four methods).
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
            assertEquals(adapter, Training.awaitSucceeded(key, id).getString("adapter_name"));
            Training.awaitVersion(key, adapter, 1);
            given().header("Authorization", key.bearer()).when().get("/v1/adapters/" + adapter + "/versions/1")
                    .then().statusCode(200).body("lineage.jobId", is(id));
        });
    }
}
