package io.peftflow.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.contract.S3Uri;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.kit.storage.ObjectStore;
import io.peftflow.trainer.models.BaseModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code init_from} through the API: a job starts from a registered version (by number or as the champion), its
 * succeeded event names the parent, and a parent that cannot fit (another base model, another config, unknown, on
 * deleted data) is a 422 naming the field. That the loaded weights are the parent's is peft-core's WarmStartTest.
 */
@QuarkusTest
class WarmStartTest {
    private static final String TENANT = "warm";

    @Inject
    TestStack stack;
    @Inject
    ObjectStore store;
    @Inject
    BaseModels models;

    /** A small LoRA job on version 2 of the dataset (the parent trains on version 1). */
    private static String job(String dataset, String adapter, String model, int r, String initFrom) {
        return """
                {"dataset": "%s", "dataset_version": 2, "model": "%s", "adapter_name": "%s",
                 "method": {"type": "lora", "hyperparameters": {"r": %d, "lora_alpha": 8, "target_modules": ["q_proj", "v_proj"]}},
                 "training": {"max_steps": 6, "batch_size": 8, "learning_rate": 0.01}, "seed": 7%s}"""
                .formatted(dataset, model, adapter, r, initFrom == null ? "" : ", \"init_from\": " + initFrom);
    }

    private JsonNode manifest(JsonPath job) throws Exception {
        S3Uri uri = S3Uri.parse(job.getString("result.manifest.uri"));
        try (InputStream in = store.get(uri.bucket(), uri.key())) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void startsFromARegisteredVersionAndRefusesOneThatDoesNotFit() throws Exception {
        String dataset = TestStack.unique("warm");
        String adapter = dataset + "-lora";
        stack.known(TENANT, dataset, 1, 32, 8);
        stack.known(TENANT, dataset, 2, 48, 8);
        String v1 = Api.post(TENANT, "/fine-tuning/jobs", job(dataset, adapter, "tiny-llama", 4, null)
                        .replace("\"dataset_version\": 2", "\"dataset_version\": 1")).then()
                .statusCode(201).extract().path("id");
        JsonPath parent = Api.awaitStatus(TENANT, v1, "trained", Duration.ofSeconds(300));
        stack.registered(TENANT, v1, adapter, 1);
        Api.awaitStatus(TENANT, v1, "succeeded", Duration.ofSeconds(60));

        // Refusals, each naming its field; nothing queued.
        models.registerTiny("tiny-other");
        String base = job(dataset, adapter, "tiny-other", 4, "{\"adapter\": \"" + adapter + "\", \"version\": 1}");
        Api.post(TENANT, "/fine-tuning/jobs", base).then().statusCode(422).body("errors.field", hasItem("model"));
        String config = job(dataset, adapter, "tiny-llama", 8, "{\"version\": 1}");
        Api.post(TENANT, "/fine-tuning/jobs", config).then().statusCode(422)
                .body("errors.field", hasItem("method.hyperparameters"));
        Api.post(TENANT, "/fine-tuning/jobs", job(dataset, adapter, "tiny-llama", 4, "{\"version\": 9}")).then()
                .statusCode(422).body("errors.field", hasItem("init_from.version"));
        Api.post(TENANT, "/fine-tuning/jobs", job(dataset, adapter, "tiny-llama", 4, "{\"alias\": \"champion\"}")).then()
                .statusCode(422).body("errors.field", hasItem("init_from.alias"));
        Api.post(TENANT, "/fine-tuning/jobs", job(dataset, adapter, "tiny-llama", 4, "{\"version\": 1, \"alias\": \"x\"}"))
                .then().statusCode(400).body("errors.field", hasItem("init_from.alias"));

        // The champion (announced by the registry) is v1: a job from it loads v1's weights and says so.
        stack.promoted(TENANT, adapter, 1, 1);
        TestStack.await(Duration.ofSeconds(30), "the champion recorded", () -> stack.count(
                "select count(*) from adapter_champion where tenant = ? and adapter = ?", TENANT, adapter) == 1);
        String v2 = Api.post(TENANT, "/fine-tuning/jobs", job(dataset, adapter, "tiny-llama", 4,
                "{\"alias\": \"champion\"}")).then().statusCode(201)
                .body("init_from.version", is(1)).body("init_from.job_id", is(v1)).extract().path("id");
        JsonPath child = Api.awaitStatus(TENANT, v2, "trained", Duration.ofSeconds(300));
        CloudEvent succeeded = stack.jobEvents(v2, Duration.ofSeconds(60)).stream()
                .filter(e -> e.type().equals(EventTypes.TRAINING_JOB_SUCCEEDED)).findFirst().orElseThrow();
        JobSucceeded s = EventCodec.payload(succeeded, JobSucceeded.class);
        assertEquals(new JobSucceeded.Parent(adapter, 1, v1), s.lineage().parent());
        // It starts where v1 ended, not from scratch: its first training loss is below v1's first.
        double parentFirst = manifest(parent).at("/result/first_loss").asDouble();
        double childFirst = manifest(child).at("/result/first_loss").asDouble();
        assertTrue(childFirst < parentFirst, "warm start's first loss " + childFirst + " vs cold " + parentFirst);

        // A version trained on data since deleted is never a parent.
        stack.deleted(TENANT, dataset, 1);
        Api.post(TENANT, "/fine-tuning/jobs", job(dataset, adapter, "tiny-llama", 4, "{\"version\": 1}"))
                .then().statusCode(422).body("errors.field", hasItem("init_from"));
    }

    @Test
    void policiesStartFromTheChampionByDefault() {
        String dataset = TestStack.unique("warmpol");
        given().header("X-Tenant", TENANT).contentType("application/json").body("""
                        {"method": {"type": "lora"}, "training": {"max_steps": 5}, "debounce_seconds": 3600}""")
                .put("/fine-tuning/policies/" + dataset).then().statusCode(200)
                .body("init_from.alias", is("champion")).body("init_from.adapter", is(dataset + "-lora"));
        given().header("X-Tenant", TENANT).contentType("application/json").body("""
                        {"method": {"type": "lora"}, "init_from": null, "debounce_seconds": 3600}""")
                .put("/fine-tuning/policies/" + dataset).then().statusCode(200).body("init_from", nullValue());
    }
}
