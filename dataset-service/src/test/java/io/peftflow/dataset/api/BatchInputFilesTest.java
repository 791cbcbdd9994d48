package io.peftflow.dataset.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.peftflow.dataset.api.TestData.utf8;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch API input files ({@code purpose=batch}): stored as sent once every line is valid, private to the tenant,
 * listed newest first; a bad line is a 400 naming its line and field, and nothing is stored. The test profile's
 * limits: 64 KiB, 50 lines, 16 KiB a line.
 */
@QuarkusTest
class BatchInputFilesTest {

    static String line(String customId, String input) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/classify\","
                + "\"body\":{\"model\":\"tx-lora\",\"input\":\"" + input + "\"}}";
    }

    private static JsonPath upload(String tenant, String name, String content, int status) {
        return given().header("X-Tenant", tenant).multiPart("purpose", "batch")
                .multiPart("file", name, utf8(content), "application/jsonl")
                .when().post("/files").then().statusCode(status).contentType(status == 200 ? "application/json"
                        : "application/problem+json").extract().jsonPath();
    }

    private static String tenant() {
        return "batch-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aBatchFileIsStoredAsSentAndPrivateToItsTenant() {
        String tenant = tenant();
        String content = line("a", "CityBus 2 EUR") + "\n" + line("b", "FreshMart 12 EUR") + "\n";
        JsonPath file = upload(tenant, "old.jsonl", content, 200);
        String id = file.getString("id");
        assertTrue(id.matches("file-batchinput-[0-9a-f]{24}"), id);
        assertEquals("batch", file.getString("purpose"));
        assertEquals("old.jsonl", file.getString("filename"));
        assertEquals(content.length(), file.getLong("bytes"));
        given().header("X-Tenant", tenant).get("/files/" + id).then().statusCode(200)
                .body("filename", is("old.jsonl")).body("purpose", is("batch"));
        assertArrayEquals(utf8(content), given().header("X-Tenant", tenant).get("/files/" + id + "/content")
                .then().statusCode(200).extract().asByteArray());

        String newer = upload(tenant, "new.jsonl", line("c", "x"), 200).getString("id");
        JsonPath page = given().header("X-Tenant", tenant).get("/files?purpose=batch&limit=1").then().statusCode(200)
                .body("has_more", is(true)).extract().jsonPath();
        assertEquals(newer, page.getString("data[0].id"));
        given().header("X-Tenant", tenant).get("/files?purpose=batch&after=" + newer).then().statusCode(200)
                .body("data[0].id", is(id)).body("has_more", is(false));

        String stranger = tenant + "-b";
        given().header("X-Tenant", stranger).get("/files/" + id).then().statusCode(404);
        given().header("X-Tenant", stranger).get("/files/" + id + "/content").then().statusCode(404);
        given().header("X-Tenant", stranger).delete("/files/" + id).then().statusCode(404);
        given().header("X-Tenant", stranger).get("/files?purpose=batch").then().statusCode(200).body("data.size()", is(0));
        given().header("X-Tenant", tenant).delete("/files/" + id).then().statusCode(200).body("deleted", is(true));
        given().header("X-Tenant", tenant).get("/files/" + id).then().statusCode(404);
    }

    @Test
    void aBadLineIsA400NamingItsLineAndFieldAndNothingIsStored() {
        String tenant = tenant();
        String content = line("a", "ok") + "\n"
                + line("b", "ok").replace("/v1/classify", "/v1/chat/completions") + "\n"
                + line("a", "again") + "\n"
                + "{not json\n"
                + line("e", "ok").replace("\"input\"", "\"inputs\"") + "\n";
        JsonPath problem = upload(tenant, "bad.jsonl", content, 400);
        assertEquals("line 2, url: must be /v1/classify (the only endpoint batches call)", problem.getString("detail"));
        assertEquals(java.util.List.of(2, 3, 4, 5), problem.getList("errors.line"));
        assertEquals(java.util.List.of("url", "custom_id", "line", "body.input"), problem.getList("errors.field"));
        assertTrue(problem.getString("errors[1].reason").contains("line 1"), problem.prettify());
        given().header("X-Tenant", tenant).get("/files?purpose=batch").then().statusCode(200).body("data.size()", is(0));

        assertEquals("line 1, line: the file has no lines", upload(tenant, "empty.jsonl", "", 400).getString("detail"));
        assertEquals(2, upload(tenant, "blank.jsonl", line("a", "x") + "\n\n", 400).getInt("errors[0].line"));
        given().header("X-Tenant", tenant).multiPart("purpose", "batch")
                .multiPart("file", "bytes.jsonl", new byte[] {(byte) 0xff, '\n'}, "application/jsonl")
                .when().post("/files").then().statusCode(400).body("detail", is("line 1, line: not UTF-8"));
    }

    @Test
    void theLimitsAreLinesLineLengthAndSize() {
        String tenant = tenant();
        String lines = IntStream.range(0, 51).mapToObj(i -> line("id-" + i, "x")).collect(Collectors.joining("\n"));
        assertEquals("line 51, line: the file has more than 50 lines", upload(tenant, "many.jsonl", lines, 400).getString("detail"));
        assertEquals("line 1, line: longer than 16384 bytes",
                upload(tenant, "wide.jsonl", line("a", "€".repeat(7000)), 400).getString("detail"));
        assertEquals("line 1, body.input: longer than 8000 characters",
                upload(tenant, "long.jsonl", line("a", "x".repeat(8001)), 400).getString("detail"));
        given().header("X-Tenant", tenant).multiPart("purpose", "batch")
                .multiPart("file", "huge.jsonl", new byte[70 * 1024], "application/jsonl")
                .when().post("/files").then().statusCode(413).body("detail", containsString("batch-max-bytes"));
        given().header("X-Tenant", tenant).get("/files?purpose=batch").then().statusCode(200).body("data.size()", is(0));
    }
}
