package io.peftflow.dataset.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;

import static io.peftflow.dataset.api.TestData.gzip;
import static io.peftflow.dataset.api.TestData.lines;
import static io.peftflow.dataset.api.TestData.qa;
import static io.peftflow.dataset.api.TestData.uniqueName;
import static io.peftflow.dataset.api.TestData.utf8;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class UploadApiTest {
    private static final String TENANT = "acme";

    @Inject
    Stored stored;

    static JsonPath upload(String tenant, String name, String body, String query) {
        return given().header("X-Tenant", tenant).contentType("application/x-ndjson").body(utf8(body))
                .when().post("/datasets/" + name + "/versions" + query)
                .then().statusCode(201).extract().jsonPath();
    }

    private static IntFunction<String> format(String format) {
        return switch (format) {
            case "instruction" -> TestData::instruction;
            case "question_answer" -> i -> qa(i, "answer " + i);
            case "prompt_completion" -> TestData::completion;
            default -> TestData::chat;
        };
    }

    @ParameterizedTest
    @CsvSource({"instruction", "question_answer", "prompt_completion", "chat"})
    void everyFormatIsAcceptedStoredAndServed(String format) {
        String name = uniqueName("fmt");
        JsonPath v = upload(TENANT, name, lines(0, 40, format(format)), "?seed=3");
        assertEquals(1, v.getInt("version"));
        assertEquals("ready", v.getString("status"));
        assertEquals(format, v.getString("format"));
        assertEquals(40, v.getLong("trainExamples") + v.getLong("validationExamples"));
        assertEquals("s3://peftflow-datasets/acme/" + name + "/v1/train.jsonl", v.getString("uris.train"));
        assertEquals(List.of("raw.jsonl", "train.jsonl", "validation.jsonl", "report.json"), stored.objects(TENANT, name, 1));

        String train = given().header("X-Tenant", TENANT).when().get("/datasets/{n}/versions/1/splits/train", name)
                .then().statusCode(200).contentType(containsString("application/x-ndjson")).extract().asString();
        String validation = given().header("X-Tenant", TENANT).when().get("/datasets/{n}/versions/1/splits/validation", name)
                .then().statusCode(200).extract().asString();
        assertEquals(v.getLong("trainExamples"), train.lines().count());
        assertEquals(v.getLong("validationExamples"), validation.lines().count());
        given().header("X-Tenant", TENANT).when().get("/datasets/{n}/versions/1/report", name).then().statusCode(200)
                .body("format", equalTo(format)).body("counts.lines", equalTo(40)).body("errors.size()", equalTo(0))
                .body("lengthUnit", equalTo("characters"));
    }

    @Test
    void gzipIsAcceptedAsBodyOrMultipartAndStoredAsSent() {
        String name = uniqueName("gz");
        byte[] gz = gzip(utf8(lines(0, 30, i -> qa(i, "a" + i))));
        given().header("X-Tenant", TENANT).header("Content-Encoding", "gzip").contentType("application/x-ndjson").body(gz)
                .when().post("/datasets/{n}/versions", name).then().statusCode(201).body("version", equalTo(1))
                .body("rawBytes", equalTo(gz.length)).body("lines", equalTo(30));
        given().header("X-Tenant", TENANT).multiPart("file", "data.jsonl.gz", gz, "application/gzip")
                .when().post("/datasets/{n}/versions", name).then().statusCode(201).body("version", equalTo(2))
                .header("Location", endsWith("/datasets/" + name + "/versions/2"));
        assertEquals(List.of("raw.jsonl.gz", "train.jsonl", "validation.jsonl", "report.json"), stored.objects(TENANT, name, 2));
    }

    @Test
    void versionsAreListedReadAndSoftDeleted() {
        String name = uniqueName("life");
        upload(TENANT, name, lines(0, 20, i -> qa(i, "x" + i)), "");
        upload(TENANT, name, lines(0, 25, i -> qa(i, "x" + i)), "");
        // The listing is by name: start right before this test's dataset.
        given().header("X-Tenant", TENANT).queryParam("after", name.substring(0, name.length() - 1)).queryParam("limit", 1)
                .when().get("/datasets").then().statusCode(200)
                .body("object", equalTo("list")).body("data[0].name", equalTo(name))
                .body("data[0].latestVersion", equalTo(2)).body("data[0].versions", equalTo(2))
                .body("first_id", equalTo(name)).body("last_id", equalTo(name));
        given().header("X-Tenant", TENANT).when().get("/datasets/{n}", name).then().statusCode(200)
                .body("versionCount", equalTo(2)).body("latestVersion.version", equalTo(2))
                .body("validationFraction", equalTo(0.1f));
        given().header("X-Tenant", TENANT).when().get("/datasets/{n}/versions", name).then().statusCode(200)
                .body("data.version", equalTo(List.of(1, 2))).body("has_more", equalTo(false));
        given().header("X-Tenant", TENANT).when().get("/datasets/{n}/versions?limit=1", name).then().statusCode(200)
                .body("data.version", equalTo(List.of(1))).body("has_more", equalTo(true)).body("last_id", equalTo("1"));
        given().header("X-Tenant", TENANT).when().get("/datasets/{n}/versions?after=1&limit=1", name).then().statusCode(200)
                .body("data.version", equalTo(List.of(2))).body("has_more", equalTo(false));
        given().header("X-Tenant", TENANT).when().get("/datasets/{n}/versions?limit=0", name).then().statusCode(400);
        given().header("X-Tenant", TENANT).when().get("/datasets/{n}/versions/2", name).then().statusCode(200)
                .body("lines", equalTo(25)).body("sha256.train.size()", equalTo(64)).body("summary.counts.valid", equalTo(25));

        given().header("X-Tenant", TENANT).when().delete("/datasets/{n}/versions/1", name).then().statusCode(204);
        given().header("X-Tenant", TENANT).when().delete("/datasets/{n}/versions/1", name).then().statusCode(204);
        given().header("X-Tenant", TENANT).when().get("/datasets/{n}/versions/1", name).then().statusCode(200)
                .body("status", equalTo("deleted")).body("deletedAt", not(nullValue()));
        given().header("X-Tenant", TENANT).when().get("/datasets/{n}/versions/1/splits/train", name).then().statusCode(410)
                .contentType("application/problem+json");
        given().header("X-Tenant", TENANT).when().get("/datasets/{n}/versions/3", name).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void tenantsAreIsolatedAndValidated() {
        String name = uniqueName("iso");
        upload(TENANT, name, lines(0, 20, i -> qa(i, "x" + i)), "");
        given().header("X-Tenant", "other").when().get("/datasets/{n}", name).then().statusCode(404);
        given().when().get("/datasets?limit=1000").then().statusCode(200).body("data.name", not(hasItem(name)));
        given().header("X-Tenant", "Bad_Tenant").when().get("/datasets").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("X-Tenant must be 1 to 63 lower-case"));
        given().when().get("/datasets/{n}", "UPPER").then().statusCode(400).body("detail", containsString("dataset name"));
        upload("default", name, lines(0, 20, i -> qa(i, "x" + i)), "");
        given().when().get("/datasets/{n}/versions/1", name).then().statusCode(200).body("uris.raw", containsString("/default/" + name + "/v1/"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "on_invalid=maybe|on_invalid must be reject or drop",
            "balance=smote|balance must be none, oversample, undersample or class_weights",
            "validation_fraction=abc|validation_fraction must be a number",
            "validation_fraction=0.9|validation_fraction must be between 0 and 0.5",
            "seed=x|seed must be a number",
            "max_length=0|max_length must be positive",
            "base_model=../etc|base_model must be a model id"})
    void badParametersAre400(String query, String detail) {
        String name = uniqueName("param");
        given().contentType("application/x-ndjson").body(utf8(lines(0, 20, i -> qa(i, "x"))))
                .when().post("/datasets/" + name + "/versions?" + query)
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString(detail));
        assertEquals(0, stored.rows("default", name));
    }

    @Test
    void dropModeKeepsGoodLinesAndReportsEveryBadOne() {
        String name = uniqueName("drop");
        String body = lines(0, 20, i -> i == 4 || i == 9 ? "{\"question\":\"q\"}" : qa(i, "x" + i));
        JsonPath v = upload(TENANT, name, body, "?on_invalid=drop");
        assertEquals(List.of(5, 10), v.getList("droppedLines.line"));
        assertEquals(18, v.getLong("trainExamples") + v.getLong("validationExamples"));
        given().header("X-Tenant", TENANT).when().get("/datasets/{n}/versions/1/report", name).then().statusCode(200)
                .body("errors.line", equalTo(List.of(5, 10))).body("errors[0].reason", equalTo("missing field 'answer'"))
                .body("counts.invalid", equalTo(2)).body("warnings", hasItem(containsString("at least 1000 are recommended")));
    }

    @Test
    void concurrentUploadsGetDistinctVersions() throws Exception {
        String name = uniqueName("race");
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> uploads = List.of(1, 2, 3).stream().map(k -> CompletableFuture.supplyAsync(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return upload(TENANT, name, lines(0, 20 + k, i -> qa(i, "x" + i)), "").getInt("version");
        })).toList();
        start.countDown();
        Set<Integer> versions = new java.util.HashSet<>();
        for (CompletableFuture<Integer> f : uploads) {
            versions.add(f.get());
        }
        assertEquals(Set.of(1, 2, 3), versions);
    }
}
