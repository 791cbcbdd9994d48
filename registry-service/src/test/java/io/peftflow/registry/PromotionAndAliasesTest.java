package io.peftflow.registry;

import io.peftflow.events.adapter.AdapterEvent;
import io.peftflow.events.adapter.AdapterPromoted;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.kit.storage.ObjectStore;
import io.peftflow.registry.registration.RegistrationService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The promotion policy on registration, manual promotion and rollback, and comparing versions. */
@QuarkusTest
class PromotionAndAliasesTest {
    static final String TENANT = "promo";

    @Inject
    ObjectStore store;

    @Inject
    RegistrationService registrations;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private void register(String adapter, double exactMatch, double majority) {
        String jobId = "job-" + UUID.randomUUID();
        TrainedAdapter.publishFiles(store, TENANT, jobId);
        JobSucceeded job = TrainedAdapter.succeeded(TENANT, adapter, jobId, TrainedAdapter.BASE,
                TrainedAdapter.metrics(exactMatch, majority));
        registrations.register(job);
    }

    private JsonPath version(String adapter, int v) {
        return given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "/versions/" + v).then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void championMovesOnlyWhenBetterByTheMarginAndRollbackIsInTheHistory() {
        String adapter = RegistrationTest.unique("promo");
        register(adapter, 0.70, 0.5);                                       // v1: first, beats majority -> champion
        given().header("X-Tenant", TENANT).contentType(ContentType.JSON)
                .body(Map.of("metric", "exact_match", "minImprovement", 0.05))
                .put("/adapters/" + adapter + "/policy").then().statusCode(200)
                .body("direction", is("higher")).body("mustBeatMajority", is(true));
        register(adapter, 0.73, 0.5);                                       // v2: +0.03 < 0.05 -> challenger
        register(adapter, 0.45, 0.5);                                       // v3: below majority -> challenger
        register(adapter, 0.80, 0.5);                                       // v4: +0.10 -> champion

        assertTrue(version(adapter, 2).getString("promotion").contains("below the minimum"));
        assertTrue(version(adapter, 3).getString("promotion").contains("majority-class baseline"));
        assertEquals(List.of("challenger", "champion"), version(adapter, 4).getList("aliases"));
        given().header("X-Tenant", TENANT).get("/adapters/" + adapter).then().statusCode(200)
                .body("aliases.champion", is(4)).body("aliases.challenger", is(4)).body("latestVersion", is(4))
                .body("policy.minImprovement", is(0.05f));

        List<AdapterEvent> promoted = AdapterEventsOnKafka.await(bootstrap, TENANT, adapter, 2,
                e -> e instanceof AdapterPromoted, Duration.ofSeconds(30));
        assertEquals(List.of(1, 4), promoted.stream().map(e -> ((AdapterPromoted) e).toVersion()).toList(),
                "one promotion event per champion move");
        AdapterPromoted toV4 = (AdapterPromoted) promoted.get(1);
        assertEquals(1, toV4.fromVersion());
        assertEquals(0.70, toV4.fromValue(), 1e-9);
        assertEquals(0.80, toV4.toValue(), 1e-9);
        assertFalse(toV4.manual());

        // Roll back by hand, then look at the history.
        given().header("X-Tenant", TENANT).contentType(ContentType.JSON)
                .body(Map.of("version", 1, "reason", "v4 misbehaves in production"))
                .put("/adapters/" + adapter + "/aliases/champion").then().statusCode(200)
                .body("version", is(1)).body("history.to", is(List.of(1, 4, 1)))
                .body("history.actor", is(List.of("policy", "policy", "api")))
                .body("history[2].reason", is("v4 misbehaves in production"));
        given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "@champion").then().statusCode(200)
                .body("version", is(1));
        List<AdapterEvent> all = AdapterEventsOnKafka.await(bootstrap, TENANT, adapter, 3,
                e -> e instanceof AdapterPromoted, Duration.ofSeconds(30));
        AdapterPromoted rollback = (AdapterPromoted) all.get(2);
        assertTrue(rollback.manual());
        assertEquals(4, rollback.fromVersion());
        assertEquals(1, rollback.toVersion());

        // A user alias, then deleted; the champion cannot be archived, another version can.
        given().header("X-Tenant", TENANT).contentType(ContentType.JSON).body(Map.of("version", 2))
                .put("/adapters/" + adapter + "/aliases/staging").then().statusCode(200);
        given().header("X-Tenant", TENANT).delete("/adapters/" + adapter + "/aliases/staging").then().statusCode(204);
        given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "/aliases/staging").then().statusCode(200)
                .body("version", is((Object) null)).body("history.to", is(java.util.Arrays.asList(2, null)));
        given().header("X-Tenant", TENANT).delete("/adapters/" + adapter + "/versions/1").then().statusCode(409);
        given().header("X-Tenant", TENANT).delete("/adapters/" + adapter + "/versions/3").then().statusCode(204);
        given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "/versions/3").then().statusCode(200)
                .body("status", is("archived"));
        given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "/versions/3/download").then().statusCode(410);

        // Compare v1 and v4: metric deltas; same config and lineage but the job.
        given().header("X-Tenant", TENANT).queryParam("a", 1).queryParam("b", 4)
                .get("/adapters/" + adapter + "/compare").then().statusCode(200)
                .body("metrics.exact_match.delta", is(0.1f))
                .body("config", is(List.of())).body("lineage.field", is(List.of("jobId")));
    }

    @Test
    void listingFiltersSortsByAMetricAndPagesWithACursor() {
        String prefix = RegistrationTest.unique("list");
        double[] scores = {0.62, 0.91, 0.77};
        for (int i = 0; i < scores.length; i++) {
            register(prefix + "-" + i, scores[i], 0.5);
        }
        given().header("X-Tenant", TENANT).contentType(ContentType.JSON).body(Map.of("value", "yes"))
                .put("/adapters/" + prefix + "-2/versions/1/tags/reviewed").then().statusCode(200)
                .body("reviewed", is("yes"));
        JsonPath first = given().header("X-Tenant", TENANT).queryParam("sort", "exact_match").queryParam("limit", 2)
                .queryParam("dataset", "transactions").queryParam("method", "lora")
                .queryParam("base_model", TrainedAdapter.BASE).get("/adapters").then().statusCode(200)
                .extract().jsonPath();
        List<Float> top = first.getList("data.metrics.exact_match");
        assertTrue(top.get(0) >= top.get(1), "best first: " + top);
        // Walk all pages: every adapter of this test exactly once, in descending exact match.
        List<String> mine = new java.util.ArrayList<>();
        String cursor = null;
        do {
            var req = given().header("X-Tenant", TENANT).queryParam("sort", "exact_match").queryParam("limit", 2);
            if (cursor != null) {
                req.queryParam("after", cursor);
            }
            JsonPath page = req.get("/adapters").then().statusCode(200).extract().jsonPath();
            page.getList("data.name", String.class).stream().filter(n -> n.startsWith(prefix)).forEach(mine::add);
            cursor = page.getBoolean("has_more") ? page.getString("last_id") : null;
        } while (cursor != null);
        assertEquals(List.of(prefix + "-1", prefix + "-2", prefix + "-0"), mine);
        given().header("X-Tenant", TENANT).queryParam("tag", "reviewed=yes").get("/adapters").then().statusCode(200)
                .body("data.name", is(List.of(prefix + "-2")));
        given().header("X-Tenant", "someone-else").get("/adapters").then().statusCode(200)
                .body("data", is(List.of()));
    }

    @Test
    void badInputIsA4xxProblemAndChangesNothing() {
        String adapter = RegistrationTest.unique("bad");
        register(adapter, 0.7, 0.5);
        String before = given().header("X-Tenant", TENANT).get("/adapters/" + adapter).then().statusCode(200)
                .extract().asString();
        String versionBefore = given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "/versions/1").then()
                .extract().asString();
        record Case(String method, String path, Object body, int status) {
        }
        List<Case> cases = List.of(
                new Case("GET", "/adapters/no-such-adapter", null, 404),
                new Case("GET", "/adapters/" + adapter + "/versions/9", null, 404),
                new Case("GET", "/adapters/" + adapter + "/versions/zero", null, 400),
                new Case("GET", "/adapters/" + adapter + "/versions/1/files/secret.txt", null, 404),
                new Case("GET", "/adapters/" + adapter + "@Bad_Alias", null, 400),
                new Case("GET", "/adapters/" + adapter + "@nope", null, 404),
                new Case("GET", "/adapters/" + adapter + "/compare?a=1", null, 400),
                new Case("GET", "/adapters?sort=accuracy", null, 400),
                new Case("GET", "/adapters?limit=0", null, 400),
                new Case("GET", "/adapters?after=bm90LWEtY3Vyc29y", null, 400),
                new Case("PUT", "/adapters/" + adapter + "/aliases/Bad_Alias", Map.of("version", 1), 400),
                new Case("PUT", "/adapters/" + adapter + "/aliases/prod", Map.of("version", 7), 404),
                new Case("PUT", "/adapters/" + adapter + "/aliases/prod", Map.of("reason", "no version"), 400),
                new Case("PUT", "/adapters/" + adapter + "/policy", Map.of("metric", "accuracy"), 400),
                new Case("PUT", "/adapters/" + adapter + "/policy", Map.of("metric", "eval_loss", "direction", "up"), 400),
                new Case("PUT", "/adapters/" + adapter + "/policy", Map.of("metric", "eval_loss", "minImprovement", -1), 400),
                new Case("PUT", "/adapters/" + adapter + "/versions/1/tags/bad key!", Map.of("value", "x"), 400),
                new Case("PUT", "/adapters/" + adapter + "/versions/1/tags/ok", Map.of("value", ""), 400),
                new Case("PUT", "/adapters/" + adapter + "/versions/1/tags/ok", "{not json", 400),
                new Case("DELETE", "/adapters/" + adapter + "/versions/1/tags/absent", null, 404),
                new Case("DELETE", "/adapters/" + adapter + "/aliases/absent", null, 404),
                new Case("DELETE", "/adapters/" + adapter + "/versions/5", null, 404));
        for (Case c : cases) {
            var req = given().header("X-Tenant", TENANT);
            if (c.body() != null) {
                req.contentType(ContentType.JSON).body(c.body());
            }
            req.request(c.method(), c.path()).then().statusCode(c.status())
                    .contentType("application/problem+json").body("status", is(c.status()))
                    .body("detail", org.hamcrest.Matchers.notNullValue());
        }
        given().header("X-Tenant", "Not A Tenant").get("/adapters").then().statusCode(400)
                .body("detail", containsString("X-Tenant"));
        given().header("X-Tenant", TENANT).get("/adapters/" + adapter).then().body(is(before));
        given().header("X-Tenant", TENANT).get("/adapters/" + adapter + "/versions/1").then().body(is(versionBefore));
    }
}
