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
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code stack_on} through the API: a job trains a new adapter on top of a registered version (named by the champion
 * alias, pinned to its version and job at creation), its succeeded event and manifest carry the stack, a stacked
 * version brings its own stack beneath it; every reference that cannot be stacked is a 4xx naming the field. That
 * only the new adapter trains is peft-core's StackOnTest.
 */
@QuarkusTest
class StackOnTest {
    private static final String TENANT = "stacks";

    @Inject
    TestStack stack;
    @Inject
    ObjectStore store;
    @Inject
    BaseModels models;

    private static String job(String dataset, String adapter, String model, String stackOn, String more) {
        return """
                {"dataset": "%s", "model": "%s", "adapter_name": "%s",
                 "method": {"type": "lora", "hyperparameters": {"r": 4, "lora_alpha": 8, "target_modules": ["q_proj", "v_proj"]}},
                 "training": {"max_steps": 6, "batch_size": 8, "learning_rate": 0.01}, "seed": 7%s%s}"""
                .formatted(dataset, model, adapter, stackOn == null ? "" : ", \"stack_on\": " + stackOn, more);
    }

    private static void refused(int status, String body, String field, String detail) {
        given().header("X-Tenant", TENANT).contentType("application/json").body(body).post("/fine-tuning/jobs").then()
                .statusCode(status).contentType("application/problem+json").body("errors.field", hasItem(field))
                .body("detail", containsString(detail));
    }

    @Test
    void trainsOnTopOfARegisteredVersionAndRefusesWhatCannotStack() throws Exception {
        String dataset = TestStack.unique("stk");
        String lang = dataset + "-lang";
        String domain = dataset + "-domain";
        stack.known(TENANT, dataset, 1, 32, 8);
        String langJob = Api.post(TENANT, "/fine-tuning/jobs", job(dataset, lang, "tiny-llama", null, "")).then()
                .statusCode(201).extract().path("id");
        Api.awaitStatus(TENANT, langJob, "trained", Duration.ofSeconds(300));
        refused(422, job(dataset, domain, "tiny-llama", "[\"" + lang + "\"]", ""), "stack_on[0]", "no champion yet");
        stack.registered(TENANT, langJob, lang, 1);
        stack.promoted(TENANT, lang, 1, 1);
        TestStack.await(Duration.ofSeconds(30), "the champion recorded", () -> stack.count(
                "select count(*) from adapter_champion where tenant = ? and adapter = ?", TENANT, lang) == 1);

        // Named by the champion alias: pinned to v1 and the job that trained it.
        String domainJob = Api.post(TENANT, "/fine-tuning/jobs", job(dataset, domain, "tiny-llama", "[\"" + lang + "\"]",
                "")).then().statusCode(201).body("stack_on[0].version", is(1)).body("stack_on[0].job_id", is(langJob))
                .extract().path("id");
        JsonPath trained = Api.awaitStatus(TENANT, domainJob, "trained", Duration.ofSeconds(300));
        CloudEvent succeeded = stack.jobEvents(domainJob, Duration.ofSeconds(60)).stream()
                .filter(e -> e.type().equals(EventTypes.TRAINING_JOB_SUCCEEDED)).findFirst().orElseThrow();
        assertEquals(List.of(new JobSucceeded.Parent(lang, 1, langJob)),
                EventCodec.payload(succeeded, JobSucceeded.class).lineage().stackedOn());
        S3Uri manifest = S3Uri.parse(trained.getString("result.manifest.uri"));
        try (InputStream in = store.get(manifest.bucket(), manifest.key())) {
            JsonNode m = new ObjectMapper().readTree(in);
            assertEquals("LORA", m.at("/stack_on/0/peft_type").asText());
        }
        stack.registered(TENANT, domainJob, domain, 1);
        Api.awaitStatus(TENANT, domainJob, "succeeded", Duration.ofSeconds(60));

        // A stacked version brings its own stack beneath it; the job is pinned to both (then cancelled, untrained).
        String top = Api.post(TENANT, "/fine-tuning/jobs", job(dataset, dataset + "-top", "tiny-llama",
                "[\"" + domain + ":1\"]", "")).then().statusCode(201)
                .body("stack_on.adapter", is(List.of(lang, domain))).body("stack_on.job_id", is(List.of(langJob, domainJob)))
                .extract().path("id");
        given().header("X-Tenant", TENANT).post("/fine-tuning/jobs/" + top + "/cancel").then().statusCode(200);

        // Refusals, each naming its field; nothing queued.
        refused(422, job(dataset, domain + "-2", "tiny-llama", "[\"nope:1\"]", ""), "stack_on[0]", "no adapter nope v1");
        stack.known("stacks-other", dataset, 1, 32, 8);
        given().header("X-Tenant", "stacks-other").contentType("application/json")
                .body(job(dataset, domain + "-2", "tiny-llama", "[\"" + lang + ":1\"]", "")).post("/fine-tuning/jobs")
                .then().statusCode(422).body("errors.field", hasItem("stack_on[0]"));
        models.registerTiny("tiny-other");
        refused(422, job(dataset, domain + "-2", "tiny-other", "[\"" + lang + ":1\"]", ""), "stack_on[0]",
                "a stack shares one base model");
        refused(422, job(dataset, domain + "-2", "tiny-llama", "[\"" + lang + ":1\", \"" + lang + ":1\"]", ""),
                "stack_on[1]", "twice");
        refused(422, job(dataset, domain + "-2", "tiny-llama", "[\"" + domain + ":1\", \"" + lang + ":1\"]", ""),
                "stack_on[1]", "twice");
        refused(422, job(dataset, lang, "tiny-llama", "[\"" + lang + ":1\"]", ""), "stack_on", "never stacked on itself");
        refused(422, job(dataset, domain + "-2", "tiny-llama", "[\"" + lang + ":challenger\"]", ""), "stack_on[0]",
                "must be \"champion\"");
        refused(422, job(dataset, domain + "-2", "tiny-llama", "[\"" + lang + ":1\"]",
                ", \"init_from\": {\"adapter\": \"" + lang + "\", \"version\": 1}"), "init_from", "the same frozen stack");
        refused(400, job(dataset, domain + "-2", "tiny-llama", "\"" + lang + "\"", ""), "stack_on", "array");
        refused(400, job(dataset, domain + "-2", "tiny-llama", "[\"a\", \"b\", \"c\", \"d\"]", ""), "stack_on", "1 to 3");
        refused(400, job(dataset, domain + "-2", "tiny-llama", "[\"Lang:1\"]", ""), "stack_on[0]", "adapter name");
        given().header("X-Tenant", TENANT).contentType("application/json")
                .body("{\"method\": {\"type\": \"lora\"}, \"stack_on\": [\"" + lang + "\"]}")
                .put("/fine-tuning/policies/" + dataset).then().statusCode(400).body("errors.field", hasItem("stack_on"));

        stack.archived(TENANT, lang, 1);
        TestStack.await(Duration.ofSeconds(30), "the archive recorded", () -> stack.count(
                "select count(*) from adapter_archived where tenant = ? and adapter = ?", TENANT, lang) == 1);
        refused(422, job(dataset, domain + "-2", "tiny-llama", "[\"" + lang + ":1\"]", ""), "stack_on[0]", "archived");
    }
}
