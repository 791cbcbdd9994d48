package io.peftflow.trainer;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import java.time.Duration;

import static io.restassured.RestAssured.given;

/** The job API as a client calls it. */
final class Api {
    private Api() {
    }

    /** A small LoRA job on the embedded model: {@code steps} updates of 8, a checkpoint every {@code every}. */
    static String loraJob(String dataset, int steps, int every) {
        return """
                {"dataset": "%s", "model": "tiny-llama",
                 "method": {"type": "lora", "hyperparameters": {"r": 4, "lora_alpha": 8, "target_modules": ["q_proj", "v_proj"]}},
                 "training": {"max_steps": %d, "batch_size": 8, "learning_rate": 0.01, "checkpoint_every_steps": %d},
                 "seed": 7}""".formatted(dataset, steps, every);
    }

    static Response post(String tenant, String path, String body) {
        return given().header("X-Tenant", tenant).contentType("application/json").body(body).post(path);
    }

    static Response put(String tenant, String path, String body) {
        return given().header("X-Tenant", tenant).contentType("application/json").body(body).put(path);
    }

    static JsonPath job(String tenant, String id) {
        return given().header("X-Tenant", tenant).get("/fine-tuning/jobs/" + id).then().statusCode(200).extract().jsonPath();
    }

    static JsonPath awaitStatus(String tenant, String id, String status, Duration timeout) {
        JsonPath[] last = {null};
        TestStack.await(timeout, "job " + id + " " + status, () -> {
            last[0] = job(tenant, id);
            return status.equals(last[0].getString("status"));
        });
        return last[0];
    }
}
