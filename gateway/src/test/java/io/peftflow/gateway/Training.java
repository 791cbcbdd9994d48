package io.peftflow.gateway;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.fail;

/** Fine-tuning over the gateway as a client does it: a short job on the embedded tiny model, then its adapter. */
final class Training {
    /** Long enough for a loss curve of several points (a progress event per 500 ms heartbeat), seconds on a CPU. */
    private static final String JOB = """
            {"dataset": "%s", "model": "tiny-llama",
             "method": {"type": "lora", "hyperparameters": {"r": 4, "lora_alpha": 8, "target_modules": ["q_proj", "v_proj"]}},
             "training": {"max_steps": %d, "batch_size": 4, "learning_rate": 0.01, "checkpoint_every_steps": 15},
             "seed": 7, "adapter_name": "%s"}""";
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    private Training() {
    }

    /** Starts a job on the dataset's latest version; returns its id. */
    static String startJob(Keys.Key key, String dataset, String adapter) {
        return startJob(key, dataset, adapter, 30);
    }

    /** The same job with {@code maxSteps} steps. */
    static String startJob(Keys.Key key, String dataset, String adapter, int maxSteps) {
        return startJob(key, JOB.formatted(dataset, maxSteps, adapter));
    }

    /** Starts the job {@code body} asks for; returns its id. */
    static String startJob(Keys.Key key, String body) {
        // The trainer hears of a new version on Kafka a moment after the upload: until then the dataset is unknown (422).
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Response response = given().header("Authorization", key.bearer()).contentType("application/json")
                    .body(body).when().post("/v1/fine-tuning/jobs");
            if (response.statusCode() == 201) {
                return response.jsonPath().getString("id");
            }
            if (response.statusCode() != 422 || System.nanoTime() > deadline) {
                fail("job not accepted: " + response.statusCode() + " " + response.asString());
            }
            sleep();
        }
    }

    /** Waits for the job to succeed; returns it. */
    static JsonPath awaitSucceeded(Keys.Key key, String jobId) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            JsonPath job = given().header("Authorization", key.bearer()).when().get("/v1/fine-tuning/jobs/" + jobId)
                    .then().statusCode(200).extract().jsonPath();
            String status = job.getString("status");
            if (status.equals("succeeded")) {
                return job;
            }
            if (status.equals("failed") || status.equals("cancelled") || System.nanoTime() > deadline) {
                fail("job " + jobId + " did not succeed: " + job.prettify());
            }
            sleep();
        }
    }

    /** Waits until registry-service has registered version {@code version} of the adapter (from the job's event). */
    static JsonPath awaitVersion(Keys.Key key, String adapter, int version) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Response response = given().header("Authorization", key.bearer())
                    .when().get("/v1/adapters/" + adapter + "/versions/" + version);
            if (response.statusCode() == 200 && response.jsonPath().getString("status").equals("ready")) {
                return response.jsonPath();
            }
            if (System.nanoTime() > deadline) {
                fail("version " + version + " of adapter " + adapter + " not registered: " + response.asString());
            }
            sleep();
        }
    }

    static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
