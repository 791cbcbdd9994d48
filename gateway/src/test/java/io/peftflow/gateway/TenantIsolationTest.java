package io.peftflow.gateway;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * Tenant B never sees, downloads, streams, cancels, promotes, tags, archives or deletes tenant A's datasets, jobs
 * and adapters, endpoint by endpoint, through the gateway in front of the real services; and the services refuse
 * whatever does not come through the gateway. Another tenant's thing is 404, exactly as a thing that does not
 * exist: the answer does not reveal that it exists.
 */
@QuarkusTest
class TenantIsolationTest {
    /** Unique per run: the stack's databases, topics and buckets outlive a run. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DATASET = "tx";
    private static final String ADAPTER = "tx-lora";
    private static final String PROBLEM = "application/problem+json";
    private static Keys.Key alice;
    private static Keys.Key bob;
    private static String job;

    /**
     * Once, before the first test (RestAssured learns the gateway's port only once a test runs): alice uploads a
     * dataset, trains on it, and her adapter's first version is registered.
     */
    @BeforeEach
    void aliceTrainsAnAdapter() {
        if (alice != null) {
            return;
        }
        Keys.Key owner = Keys.create("alice-" + RUN);
        bob = Keys.create("bob-" + RUN);
        given().header("Authorization", owner.bearer()).contentType("application/x-ndjson")
                .body(Samples.transactions(60).getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/datasets/" + DATASET + "/versions?balance=oversample&on_invalid=drop")
                .then().statusCode(201).body("version", is(1));
        job = Training.startJob(owner, DATASET, ADAPTER);
        Training.awaitSucceeded(owner, job);
        Training.awaitVersion(owner, ADAPTER, 1);
        alice = owner;
    }

    private static RequestSpecification as(Keys.Key key) {
        return given().header("Authorization", key.bearer());
    }

    @Test
    void theOwnerSeesEverything() {
        String base = "/v1/datasets/" + DATASET;
        as(alice).when().get("/v1/datasets?limit=1000").then().statusCode(200).body("data.name", hasItem(DATASET));
        for (String path : new String[]{base, base + "/versions", base + "/versions/1", base + "/versions/1/report",
                base + "/versions/1/splits/train"}) {
            as(alice).when().get(path).then().statusCode(200);
        }
        String jobs = "/v1/fine-tuning/jobs";
        as(alice).when().get(jobs).then().statusCode(200).body("data.id", hasItem(job));
        for (String path : new String[]{jobs + "/" + job, jobs + "/" + job + "/events", jobs + "/" + job + "/checkpoints",
                jobs + "/" + job + "/stream"}) {
            as(alice).when().get(path).then().statusCode(200);
        }
        String adapter = "/v1/adapters/" + ADAPTER;
        as(alice).when().get("/v1/adapters").then().statusCode(200).body("data.name", hasItem(ADAPTER));
        for (String path : new String[]{adapter, adapter + "@challenger", adapter + "/versions", adapter + "/versions/1",
                adapter + "/versions/1/files/adapter_config.json", adapter + "/versions/1/download",
                adapter + "/compare?a=1&b=1", adapter + "/aliases/challenger"}) {
            as(alice).when().get(path).then().statusCode(200);
        }
    }

    @Test
    void anotherTenantNeitherSeesNorDownloadsNorDeletesDatasets() {
        String base = "/v1/datasets/" + DATASET;
        as(bob).when().get("/v1/datasets?limit=1000").then().statusCode(200).body("data.name", not(hasItem(DATASET)));
        for (String path : new String[]{base, base + "/versions", base + "/versions/1", base + "/versions/1/report",
                base + "/versions/1/splits/train", base + "/versions/1/splits/validation"}) {
            as(bob).when().get(path).then().statusCode(404).contentType(PROBLEM);
        }
        as(bob).when().delete(base + "/versions/1").then().statusCode(404);
        // Naming alice's tenant in X-Tenant changes nothing: the key decides.
        as(bob).header("X-Tenant", "alice-" + RUN)
                .when().get(base + "/versions/1/splits/train").then().statusCode(404);
        as(bob).header("X-Tenant", "alice-" + RUN)
                .when().get("/v1/datasets?limit=1000").then().statusCode(200).body("data.name", not(hasItem(DATASET)));
        // ...and alice's version is still there.
        as(alice).when().get(base + "/versions/1").then().statusCode(200).body("status", is("ready"));
    }

    @Test
    void anotherTenantNeitherSeesNorStreamsNorCancelsJobs() {
        String jobs = "/v1/fine-tuning/jobs";
        as(bob).when().get(jobs).then().statusCode(200).body("data.id", not(hasItem(job)));
        as(bob).when().get(jobs + "?dataset=" + DATASET).then().statusCode(200).body("data", empty());
        String unknown = "ftjob-" + "0".repeat(24);
        for (String id : new String[]{job, unknown}) {
            String detail = "no fine-tuning job '" + id + "'";
            for (String path : new String[]{jobs + "/" + id, jobs + "/" + id + "/events",
                    jobs + "/" + id + "/events?order=asc", jobs + "/" + id + "/checkpoints", jobs + "/" + id + "/stream"}) {
                as(bob).when().get(path).then().statusCode(404).contentType(PROBLEM).body("detail", is(detail));
            }
            as(bob).when().post(jobs + "/" + id + "/cancel").then().statusCode(404).body("detail", is(detail));
        }
        as(bob).header("X-Tenant", "alice-" + RUN).when().get(jobs + "/" + job).then().statusCode(404);
        // Nor trains on alice's data: her dataset is as unknown to bob as one that does not exist.
        for (String dataset : new String[]{DATASET, "never-uploaded"}) {
            as(bob).contentType("application/json")
                    .body("{\"dataset\": \"" + dataset + "\", \"method\": {\"type\": \"lora\", \"hyperparameters\": {\"r\": 4}}}")
                    .when().post(jobs).then().statusCode(422).contentType(PROBLEM)
                    .body("errors[0].field", is("dataset"))
                    .body("errors[0].reason", is("unknown dataset '" + dataset + "': no version of it has been announced"));
        }
        as(alice).when().get(jobs + "/" + job).then().statusCode(200).body("status", is("succeeded"));
    }

    @Test
    void anotherTenantNeitherSeesNorDownloadsNorChangesAdapters() {
        String adapter = "/v1/adapters/" + ADAPTER;
        as(bob).when().get("/v1/adapters").then().statusCode(200).body("data.name", not(hasItem(ADAPTER)));
        as(bob).when().get("/v1/adapters?dataset=" + DATASET).then().statusCode(200).body("data", empty());
        String detail = "no adapter '" + ADAPTER + "'";
        for (String path : new String[]{adapter, adapter + "@challenger", adapter + "/versions", adapter + "/versions/1",
                adapter + "/versions/1/files/adapter_config.json", adapter + "/versions/1/download",
                adapter + "/compare?a=1&b=1", adapter + "/aliases/challenger"}) {
            as(bob).when().get(path).then().statusCode(404).contentType(PROBLEM).body("detail", is(detail));
        }
        as(bob).contentType("application/json").body("{\"version\": 1, \"reason\": \"mine now\"}")
                .when().put(adapter + "/aliases/champion").then().statusCode(404).body("detail", is(detail));
        as(bob).when().delete(adapter + "/aliases/challenger").then().statusCode(404).body("detail", is(detail));
        as(bob).contentType("application/json").body("{\"value\": \"bob\"}")
                .when().put(adapter + "/versions/1/tags/owner").then().statusCode(404).body("detail", is(detail));
        as(bob).when().delete(adapter + "/versions/1/tags/owner").then().statusCode(404).body("detail", is(detail));
        as(bob).contentType("application/json").body("{\"metric\": \"eval_loss\"}")
                .when().put(adapter + "/policy").then().statusCode(404).body("detail", is(detail));
        as(bob).when().delete(adapter + "/versions/1").then().statusCode(404).body("detail", is(detail));
        as(bob).header("X-Tenant", "alice-" + RUN).when().get(adapter + "/versions/1/download").then().statusCode(404);
        // The same answer as for an adapter that does not exist at all.
        as(bob).when().get("/v1/adapters/never-trained").then().statusCode(404).body("detail", is("no adapter 'never-trained'"));

        // Alice's adapter is as it was: not promoted, no tag, not archived, policy untouched.
        as(alice).when().get(adapter).then().statusCode(200)
                .body("aliases.champion", nullValue()).body("aliases.challenger", is(1))
                .body("policy.metric", is("exact_match"));
        as(alice).when().get(adapter + "/versions/1").then().statusCode(200)
                .body("status", is("ready")).body("tags", anEmptyMap());
    }

    @Test
    void theServicesRefuseRequestsThatDidNotComeThroughTheGateway() {
        String[] direct = {TestStack.datasetServiceUrl + "/datasets", TestStack.trainerServiceUrl + "/fine-tuning/jobs",
                TestStack.registryServiceUrl + "/adapters"};
        for (String url : direct) {
            given().header("X-Tenant", "alice-" + RUN).when().get(url)
                    .then().statusCode(403).contentType(PROBLEM);
            given().header("X-Tenant", "alice-" + RUN).header("X-Peftflow-Gateway-Secret", "guessed")
                    .when().get(url).then().statusCode(403);
            given().header("X-Tenant", "alice-" + RUN).header("X-Peftflow-Gateway-Secret", TestStack.SECRET)
                    .when().get(url).then().statusCode(200);
        }
        given().header("X-Tenant", "alice-" + RUN).header("X-Peftflow-Gateway-Secret", TestStack.SECRET)
                .when().get(direct[0] + "?limit=1000").then().body("data.name", hasItem(DATASET));
        // Probes stay open.
        for (String service : new String[]{TestStack.datasetServiceUrl, TestStack.trainerServiceUrl, TestStack.registryServiceUrl}) {
            given().when().get(service + "/q/health/ready").then().statusCode(200);
        }
    }
}
