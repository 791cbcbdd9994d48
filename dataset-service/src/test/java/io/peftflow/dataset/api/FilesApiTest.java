package io.peftflow.dataset.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.peftflow.dataset.api.TestData.lines;
import static io.peftflow.dataset.api.TestData.utf8;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** OpenAI's files API over the datasets: an uploaded file is a dataset version named after it. */
@QuarkusTest
class FilesApiTest {

    @Test
    void anUploadIsTheNextVersionOfTheDatasetNamedAfterTheFile() {
        String tenant = "files-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] content = utf8(lines(0, 30, TestData::chat));
        JsonPath file = given().header("X-Tenant", tenant).multiPart("purpose", "fine-tune")
                .multiPart("file", "Card Data_2026.jsonl", content, "application/jsonl")
                .when().post("/files").then().statusCode(200).extract().jsonPath();
        assertEquals("file-ds-card-data-2026-v1", file.getString("id"));
        assertEquals("file", file.getString("object"));
        assertEquals("card-data-2026.jsonl", file.getString("filename"));
        assertEquals("fine-tune", file.getString("purpose"));
        assertEquals("processed", file.getString("status"));
        assertEquals(content.length, file.getLong("bytes"));
        // The same file again is the dataset's next version, a file of its own.
        given().header("X-Tenant", tenant).multiPart("purpose", "fine-tune")
                .multiPart("file", "Card Data_2026.jsonl", content, "application/jsonl")
                .when().post("/files").then().statusCode(200).body("id", is("file-ds-card-data-2026-v2"));
        given().header("X-Tenant", tenant).get("/datasets/card-data-2026").then().statusCode(200)
                .body("versionCount", is(2));

        given().header("X-Tenant", tenant).get("/files/file-ds-card-data-2026-v1").then().statusCode(200)
                .body("created_at", is(file.getInt("created_at")));
        byte[] served = given().header("X-Tenant", tenant).get("/files/file-ds-card-data-2026-v1/content").then()
                .statusCode(200).extract().asByteArray();
        assertArrayEquals(content, served);

        // Newest first, a page at a time.
        JsonPath first = given().header("X-Tenant", tenant).get("/files?limit=1").then().statusCode(200)
                .body("object", is("list")).body("has_more", is(true)).extract().jsonPath();
        assertEquals("file-ds-card-data-2026-v2", first.getString("data[0].id"));
        given().header("X-Tenant", tenant).get("/files?limit=1&after=" + first.getString("last_id")).then()
                .statusCode(200).body("data.id", hasItem("file-ds-card-data-2026-v1")).body("has_more", is(false));

        // Another tenant sees nothing; a deleted file is gone.
        given().header("X-Tenant", tenant + "-b").get("/files/file-ds-card-data-2026-v1").then().statusCode(404);
        given().header("X-Tenant", tenant).delete("/files/file-ds-card-data-2026-v1").then().statusCode(200)
                .body("deleted", is(true));
        given().header("X-Tenant", tenant).get("/files/file-ds-card-data-2026-v1/content").then().statusCode(404);
    }

    @Test
    void badRequestsNameWhatIsWrong() {
        byte[] content = utf8(lines(0, 30, TestData::chat));
        given().multiPart("file", "x.jsonl", content, "application/jsonl").when().post("/files").then()
                .statusCode(400).contentType("application/problem+json").body("detail", containsString("purpose"));
        given().multiPart("purpose", "assistants").multiPart("file", "x.jsonl", content, "application/jsonl")
                .when().post("/files").then().statusCode(400).body("detail", containsString("purpose"));
        given().multiPart("purpose", "fine-tune").multiPart("file", "x.jsonl", utf8("{\"broken\n"), "application/jsonl")
                .when().post("/files").then().statusCode(422).contentType("application/problem+json");
        given().get("/files/file-nope").then().statusCode(404).contentType("application/problem+json");
        given().get("/files?limit=0").then().statusCode(400).body("detail", containsString("limit"));
    }

    @Test
    void fileNamesBecomeDatasetNames() {
        assertEquals("transactions", FileResource.datasetName("transactions.jsonl"));
        assertEquals("train-v2", FileResource.datasetName("/tmp/up/Train_V2.jsonl.gz"));
        assertEquals("file", FileResource.datasetName("..."));
        assertEquals("file", FileResource.datasetName(null));
        assertEquals("a".repeat(63), FileResource.datasetName("a".repeat(80) + ".jsonl"));
    }
}
