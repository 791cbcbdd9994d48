package io.peftflow.dataset.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static io.peftflow.dataset.api.TestData.labelled;
import static io.peftflow.dataset.api.TestData.lines;
import static io.peftflow.dataset.api.TestData.qa;
import static io.peftflow.dataset.api.TestData.uniqueName;
import static io.peftflow.dataset.api.TestData.utf8;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SECURITY.md's attacks on dataset-service, against the real stack (PostgreSQL, S3, Kafka): oversized fields and
 * parameters are 4xx naming what is wrong, pathological content is refused within a bounded time, one tenant never
 * reaches another's datasets, files or splits, and forged names or paths (traversal in the tenant, the dataset name,
 * the split or the version) are refused before anything is read or stored.
 */
@QuarkusTest
class DatasetSecurityTest {
    private static final String VICTIM = "victim";
    private static final String ATTACKER = "attacker";
    /** Far above an answer's time on this machine, far below what an unbounded parse or match would take. */
    private static final long BOUND_MS = 10_000;

    @Inject
    Stored stored;

    @Test
    void oversizedFieldsAndParametersAre4xxNamingThem() {
        String name = uniqueName("oversized");
        String good = lines(0, 12, i -> qa(i, "yes"));
        // A field far over the line limit (peftflow.dataset.max-line-bytes): refused by line, nothing stored.
        given().header("X-Tenant", ATTACKER).contentType("application/x-ndjson")
                .body(utf8(good + qa(99, "y".repeat(200_000)) + "\n")).when().post("/datasets/{n}/versions", name)
                .then().statusCode(422).body("errors[0].line", is(13))
                .body("errors[0].reason", containsString("line longer than the limit"));
        assertEquals(0, stored.rows(ATTACKER, name));
        // Query parameters: a bad one is a 400 that names it, whatever its size.
        for (String[] param : List.of(
                new String[] {"base_model", "m".repeat(1000)},
                new String[] {"seed", "9".repeat(1000)},
                new String[] {"max_length", "99999999999999999999"},
                new String[] {"validation_fraction", "1e308"},
                new String[] {"balance", "x".repeat(1000)})) {
            given().header("X-Tenant", ATTACKER).contentType("application/x-ndjson").queryParam(param[0], param[1])
                    .body(utf8(good)).when().post("/datasets/{n}/versions", name)
                    .then().statusCode(400).body("detail", containsString(param[0]));
        }
        // A request line over the HTTP server's 4 KB is refused before any of it is parsed.
        given().header("X-Tenant", ATTACKER).contentType("application/x-ndjson").queryParam("base_model", "m".repeat(8000))
                .body(utf8(good)).when().post("/datasets/{n}/versions", name).then().statusCode(414);
        // A dataset name over its 63 characters.
        given().header("X-Tenant", ATTACKER).contentType("application/x-ndjson").body(utf8(good))
                .when().post("/datasets/{n}/versions", "a".repeat(2000)).then().statusCode(400)
                .body("detail", containsString("dataset name"));
        // A body over the upload limit (peftflow.dataset.max-upload-bytes, 2M in tests), announced or not.
        given().header("X-Tenant", ATTACKER).contentType("application/x-ndjson").body(new byte[3 << 20])
                .when().post("/datasets/{n}/versions", name).then().statusCode(413);
        assertEquals(0, stored.rows(ATTACKER, name));
    }

    @Test
    void pathologicalContentIsRefusedWithinABoundedTime() {
        String good = lines(0, 12, i -> qa(i, "yes"));
        String deep = "{\"question\":" + "[".repeat(1500) + "]".repeat(1500) + ",\"answer\":\"a\"}";
        String manyKeys = "{" + String.join(",", IntStream.range(0, 300)
                .mapToObj(i -> "\"k" + i + "\":1").toList()) + ",\"question\":\"q\",\"answer\":\"a\"}";
        for (String attack : List.of(deep, manyKeys, "{\"question\":\"" + "\\u0000".repeat(600) + "\",\"answer\":\"a\"}")) {
            String name = uniqueName("pathological");
            long started = System.nanoTime();
            Response r = given().header("X-Tenant", ATTACKER).contentType("application/x-ndjson")
                    .body(utf8(good + attack + "\n")).when().post("/datasets/{n}/versions", name);
            long ms = (System.nanoTime() - started) / 1_000_000;
            assertTrue(r.statusCode() == 422 || r.statusCode() == 201, "status " + r.statusCode() + ": " + r.asString());
            assertTrue(ms < BOUND_MS, "answered after " + ms + " ms");
        }
        // Nesting deeper than peftflow.dataset.max-nesting-depth is refused by line, not parsed to the end (a gzip
        // bomb: MalformedUploadTest).
        String name = uniqueName("deep");
        given().header("X-Tenant", ATTACKER).contentType("application/x-ndjson").body(utf8(good + deep + "\n"))
                .when().post("/datasets/{n}/versions", name).then().statusCode(422)
                .body("errors[0].line", is(13));
    }

    @Test
    void aTenantNeverReachesAnotherTenantsData() {
        String name = uniqueName("private");
        UploadApiTest.upload(VICTIM, name, lines(0, 20, i -> labelled(i, i % 2 == 0 ? "a" : "b")), "");
        String file = "file-ds-" + name + "-v1";
        for (String path : List.of("/datasets/" + name, "/datasets/" + name + "/versions",
                "/datasets/" + name + "/versions/1", "/datasets/" + name + "/versions/1/report",
                "/datasets/" + name + "/versions/1/splits/train", "/datasets/" + name + "/versions/1/splits/validation",
                "/files/" + file, "/files/" + file + "/content")) {
            given().header("X-Tenant", ATTACKER).when().get(path).then().statusCode(404);
        }
        for (String list : List.of("/datasets", "/files")) {
            String listed = given().header("X-Tenant", ATTACKER).when().get(list).then().statusCode(200).extract().asString();
            assertTrue(!listed.contains(name), list + " lists the victim's dataset: " + listed);
        }
        // Deleting as the attacker touches nothing of the victim's.
        given().header("X-Tenant", ATTACKER).when().delete("/datasets/{n}/versions/1", name).then().statusCode(404);
        given().header("X-Tenant", ATTACKER).when().delete("/files/" + file).then().statusCode(404);
        given().header("X-Tenant", VICTIM).when().get("/datasets/{n}/versions/1/splits/train", name).then().statusCode(200);
        // The same name in the attacker's tenant is a dataset of its own: version 1 again, with its own objects.
        UploadApiTest.upload(ATTACKER, name, lines(0, 20, i -> labelled(i, "c")), "");
        String victims = given().header("X-Tenant", VICTIM).when().get("/datasets/{n}/versions/1/splits/train", name)
                .then().statusCode(200).extract().asString();
        assertTrue(!victims.contains("\"c\""), "the victim's split is the victim's");
    }

    @Test
    void forgedTenantsNamesAndPathsAreRefused() {
        String name = uniqueName("paths");
        UploadApiTest.upload(VICTIM, name, lines(0, 20, i -> labelled(i, i % 2 == 0 ? "a" : "b")), "");
        // The tenant decides the S3 prefix: one that could climb out of its own is a 400 naming the header.
        for (String tenant : List.of("../" + VICTIM, VICTIM + "/..", "..", "a/b", VICTIM + "%2F..", "UPPER", "x".repeat(300))) {
            given().header("X-Tenant", tenant).when().get("/datasets/{n}", name).then().statusCode(400)
                    .body("detail", containsString("X-Tenant"));
        }
        // Names, versions and splits from the path: refused, never resolved to another object.
        for (String path : List.of("/datasets/..%2F" + name + "/versions/1", "/datasets/" + name + "%2F..",
                "/datasets/" + name + "/versions/1/splits/..%2Freport", "/datasets/" + name + "/versions/1/splits/report",
                "/datasets/" + name + "/versions/-1", "/datasets/" + name + "/versions/1e3",
                "/datasets/" + name + "/versions/99999999999999999999", "/files/file-ds-..%2F" + name + "-v1")) {
            int status = given().header("X-Tenant", ATTACKER).urlEncodingEnabled(false).when().get(path).statusCode();
            assertTrue(status == 400 || status == 404, path + ": " + status);
            int own = given().header("X-Tenant", VICTIM).urlEncodingEnabled(false).when().get(path).statusCode();
            assertTrue(own == 400 || own == 404, path + " as the owner: " + own);
        }
    }
}
