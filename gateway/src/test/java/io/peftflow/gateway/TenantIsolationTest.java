package io.peftflow.gateway;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Tenant A never sees, downloads or deletes tenant B's data, endpoint by endpoint, through the gateway in
 * front of the real dataset-service; and the service itself refuses whatever does not come through the gateway.
 */
@QuarkusTest
class TenantIsolationTest {
    /** Unique per run: the stack's database and buckets outlive a run. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static Keys.Key alice;
    private static Keys.Key bob;
    private static final String DATASET = "tx";

    /** Once, before the first test (RestAssured learns the gateway's port only once a test runs). */
    @BeforeEach
    void aliceUploadsADataset() {
        if (alice != null) {
            return;
        }
        Keys.Key owner = Keys.create("alice-" + RUN);
        bob = Keys.create("bob-" + RUN);
        given().header("Authorization", owner.bearer()).contentType("application/x-ndjson")
                .body(Samples.transactions(40).getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/datasets/" + DATASET + "/versions?balance=oversample&on_invalid=drop")
                .then().statusCode(201).body("version", is(1));
        alice = owner;
    }

    @Test
    void theOwnerSeesEverything() {
        String base = "/v1/datasets/" + DATASET;
        given().header("Authorization", alice.bearer()).when().get("/v1/datasets").then().statusCode(200).body("name", hasItem(DATASET));
        for (String path : new String[]{base, base + "/versions", base + "/versions/1", base + "/versions/1/report",
                base + "/versions/1/splits/train"}) {
            given().header("Authorization", alice.bearer()).when().get(path).then().statusCode(200);
        }
    }

    @Test
    void anotherTenantNeitherSeesNorDownloadsNorDeletes() {
        String base = "/v1/datasets/" + DATASET;
        given().header("Authorization", bob.bearer()).when().get("/v1/datasets").then().statusCode(200).body("name", not(hasItem(DATASET)));
        for (String path : new String[]{base, base + "/versions", base + "/versions/1", base + "/versions/1/report",
                base + "/versions/1/splits/train", base + "/versions/1/splits/validation"}) {
            given().header("Authorization", bob.bearer()).when().get(path).then().statusCode(404);
        }
        given().header("Authorization", bob.bearer()).when().delete(base + "/versions/1").then().statusCode(404);
        // Naming alice's tenant in X-Tenant changes nothing: the key decides.
        given().header("Authorization", bob.bearer()).header("X-Tenant", "alice-" + RUN)
                .when().get(base + "/versions/1/splits/train").then().statusCode(404);
        given().header("Authorization", bob.bearer()).header("X-Tenant", "alice-" + RUN)
                .when().get("/v1/datasets").then().statusCode(200).body("name", not(hasItem(DATASET)));
        // ...and alice's version is still there.
        given().header("Authorization", alice.bearer()).when().get(base + "/versions/1").then().statusCode(200).body("status", is("ready"));
    }

    @Test
    void theServiceRefusesRequestsThatDidNotComeThroughTheGateway() {
        String direct = TestStack.datasetServiceUrl + "/datasets";
        given().header("X-Tenant", "alice-" + RUN).when().get(direct)
                .then().statusCode(403).contentType("application/problem+json");
        given().header("X-Tenant", "alice-" + RUN).header("X-Peftflow-Gateway-Secret", "guessed")
                .when().get(direct).then().statusCode(403);
        given().header("X-Tenant", "alice-" + RUN).header("X-Peftflow-Gateway-Secret", TestStack.SECRET)
                .when().get(direct).then().statusCode(200).body("name", hasItem(DATASET));
        // Probes stay open.
        given().when().get(TestStack.datasetServiceUrl + "/q/health/ready").then().statusCode(200);
    }
}
