package io.peftflow.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peftflow.events.contract.S3Uri;
import io.peftflow.kit.storage.ObjectStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code training.early_stopping}: bounded fields, a run that stops, keeps its best evaluation's weights and says why. */
@QuarkusTest
class EarlyStoppingTest {
    private static final String TENANT = "early";

    @Inject
    TestStack stack;
    @Inject
    ObjectStore store;

    private static String job(String dataset, String training) {
        return """
                {"dataset": "%s", "model": "tiny-llama",
                 "method": {"type": "lora", "hyperparameters": {"r": 4, "lora_alpha": 8, "target_modules": ["q_proj", "v_proj"]}},
                 "training": %s, "seed": 7}""".formatted(dataset, training);
    }

    /**
     * min_delta 100 makes every evaluation after the first "no improvement": with patience 1 the run stops at its
     * second evaluation (step 4 of 30) and ends on the first's weights (step 2).
     */
    @Test
    void stopsKeepsTheBestAndSaysWhy() throws Exception {
        String dataset = TestStack.unique("es");
        stack.known(TENANT, dataset, 1, 32, 8);
        String id = Api.post(TENANT, "/fine-tuning/jobs", job(dataset, """
                {"max_steps": 30, "batch_size": 8, "learning_rate": 0.01, "eval_every_steps": 2,
                 "early_stopping": {"metric": "eval_loss", "patience": 1, "min_delta": 100}}""")).then().statusCode(201)
                .body("training.early_stopping.patience", is(1)).extract().path("id");
        JsonPath job = Api.awaitStatus(TENANT, id, "trained", Duration.ofSeconds(300));
        assertEquals(4, job.getInt("result.steps"), "stopped at the second evaluation");
        List<String> messages = given().header("X-Tenant", TENANT).get("/fine-tuning/jobs/" + id + "/events?limit=100")
                .then().statusCode(200).extract().jsonPath().getList("data.message", String.class);
        String stopped = messages.stream().filter(m -> m.startsWith("Stopped early")).findFirst().orElseThrow(
                () -> new AssertionError("no early-stopping event in " + messages));
        assertTrue(stopped.startsWith("Stopped early at step 4 of 30: eval_loss did not improve by more than 100.0 for 1 "
                + "evaluations in a row (every 2 steps); the adapter has the weights of step 2"), stopped);

        // The adapter holds step 2's weights: the manifest says so, and its measured loss is that evaluation's.
        JsonNode manifest;
        S3Uri uri = S3Uri.parse(job.getString("result.manifest.uri"));
        try (InputStream in = store.get(uri.bucket(), uri.key())) {
            manifest = new ObjectMapper().readTree(in);
        }
        assertEquals("EARLY_STOPPED", manifest.at("/result/status").asText());
        assertEquals(2, manifest.at("/result/best_step").asInt());
        assertEquals(2, manifest.at("/result/weights_step").asInt());
        double tuned = job.getDouble("result.metrics.tuned.eval_loss");
        double best = Double.parseDouble(stopped.substring(stopped.lastIndexOf("eval loss ") + 10, stopped.length() - 1));
        assertEquals(best, tuned, 1e-3, "the adapter measures as the best evaluation did");
        // trained_tokens counts the 4 updates that ran, not the 30 asked for
        long tokens = given().header("X-Tenant", TENANT).get("/fine_tuning/jobs/" + id).then().statusCode(200)
                .extract().jsonPath().getLong("trained_tokens");
        assertTrue(tokens > 0 && tokens < 4 * 8 * 64, "trained_tokens " + tokens);
    }

    @Test
    void badSettingsNameTheirField() {
        String dataset = TestStack.unique("esbad");
        stack.known(TENANT, dataset, 1, 16, 4);
        Map<String, String> unprocessable = Map.of(
                "{\"max_steps\": 10, \"early_stopping\": {\"patience\": 0}}", "training.early_stopping.patience",
                "{\"max_steps\": 10, \"early_stopping\": {\"patience\": 100000}}", "training.early_stopping.patience",
                "{\"max_steps\": 10, \"early_stopping\": {\"metric\": \"accuracy\"}}", "training.early_stopping.metric",
                "{\"max_steps\": 10, \"early_stopping\": {\"min_delta\": -1}}", "training.early_stopping.min_delta",
                "{\"epochs\": 2, \"early_stopping\": {}}", "training.eval_every_steps",
                "{\"max_steps\": 10, \"eval_every_steps\": 0, \"early_stopping\": {}}", "training.eval_every_steps");
        unprocessable.forEach((training, field) -> Api.post(TENANT, "/fine-tuning/jobs", job(dataset, training)).then()
                .statusCode(422).body("errors.field", hasItem(field)));
        Map<String, String> malformed = Map.of(
                "{\"max_steps\": 10, \"early_stopping\": true}", "training.early_stopping",
                "{\"max_steps\": 10, \"early_stopping\": {\"patience\": \"two\"}}", "training.early_stopping.patience",
                "{\"max_steps\": 10, \"early_stopping\": {\"min_delta\": \"x\"}}", "training.early_stopping.min_delta",
                "{\"max_steps\": 10, \"early_stopping\": {\"mode\": \"min\"}}", "training.early_stopping.mode");
        malformed.forEach((training, field) -> Api.post(TENANT, "/fine-tuning/jobs", job(dataset, training)).then()
                .statusCode(400).body("errors.field", hasItem(field)));
        assertEquals(0, given().header("X-Tenant", TENANT).get("/fine-tuning/jobs?dataset=" + dataset).then()
                .statusCode(200).extract().jsonPath().getList("data").size(), "nothing queued");
    }
}
