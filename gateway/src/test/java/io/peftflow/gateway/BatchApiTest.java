package io.peftflow.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Batch API behind the gateway on the real stack, through the official OpenAI Java SDK where it has the call: a
 * file uploaded with purpose=batch, classified by a batch in passes through the same classifier as /v1/classify, its
 * output and error files read back by id; a cancel that keeps what was done; other tenants' batches and files are
 * 404s; bad fields and lines are 4xx naming them.
 */
@QuarkusTest
class BatchApiTest {
    private static final String MODEL = ServedAdapter.ADAPTER + ":1";
    private static final String[] SHOPS = {"FreshMart", "CityBus", "Sushi Go", "MetroRail", "GreenGrocer", "Pasta Place"};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Batch.Status> OVER = Set.of(Batch.Status.COMPLETED, Batch.Status.FAILED,
            Batch.Status.CANCELLED, Batch.Status.EXPIRED);

    @TestHTTPResource("/v1")
    URL api;
    private Keys.Key owner;
    private OpenAIClient openAi;

    @BeforeEach
    void adapter() {
        owner = ServedAdapter.owner();
        openAi = OpenAIOkHttpClient.builder().baseUrl(api.toString()).apiKey(owner.secret()).build();
    }

    private static String line(String customId, String model, String input, int topK) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/classify\",\"body\":{\"model\":\""
                + model + "\",\"input\":\"Categorise the card transaction\\n\\n" + input + "\",\"top_k\":" + topK + "}}\n";
    }

    private static String transaction(int i) {
        return SHOPS[i % SHOPS.length] + " #" + i + " " + (10 + i * 7 % 90) + " EUR";
    }

    private FileObject upload(String name, String content) throws IOException {
        Path file = Files.createTempDirectory("batch").resolve(name);
        Files.writeString(file, content);
        return openAi.files().create(FileCreateParams.builder().file(file).purpose(FilePurpose.BATCH).build()).validate();
    }

    private Batch create(String fileId) {
        return openAi.batches().create(BatchCreateParams.builder().inputFileId(fileId)
                .endpoint(BatchCreateParams.Endpoint.of("/v1/classify"))
                .completionWindow(BatchCreateParams.CompletionWindow._24H).build()).validate();
    }

    private Batch awaitOver(String id) throws InterruptedException {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (true) {
            Batch batch = openAi.batches().retrieve(id).validate();
            if (OVER.contains(batch.status())) {
                return batch;
            }
            assertTrue(System.nanoTime() < deadline, "batch still " + batch.status() + " after 180 s");
            Thread.sleep(200);
        }
    }

    private List<JsonNode> lines(String fileId) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (HttpResponse response = openAi.files().content(fileId); InputStream body = response.body()) {
            for (String line : new String(body.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    @Test
    void aBatchClassifiesEveryLineOfAStoredFileWithTheTrainedLabels() throws Exception {
        StringBuilder content = new StringBuilder();
        int inputs = 40; // two passes of max-batch-inputs (32)
        for (int i = 0; i < inputs; i++) {
            content.append(line("tx-" + i, MODEL, transaction(i), 1 + i % 3));
        }
        content.append(line("unknown-model", "no-such-adapter", transaction(99), 1));
        FileObject file = upload("back-catalogue.jsonl", content.toString());
        assertEquals(FileObject.Purpose.BATCH, file.purpose());
        long started = System.nanoTime();
        Batch created = create(file.id());
        assertEquals(file.id(), created.inputFileId());
        assertEquals("/v1/classify", created.endpoint());
        Batch batch = awaitOver(created.id());
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("batch of %d lines over in %.1f s (%.1f inputs/s, polling included)%n", inputs + 1, seconds,
                (inputs + 1) / seconds);

        assertEquals(Batch.Status.COMPLETED, batch.status(), batch.toString());
        assertEquals(inputs + 1L, batch.requestCounts().orElseThrow().total());
        assertEquals(inputs, batch.requestCounts().orElseThrow().completed());
        assertEquals(1L, batch.requestCounts().orElseThrow().failed());
        assertTrue(batch.inProgressAt().isPresent() && batch.completedAt().isPresent());

        List<JsonNode> output = lines(batch.outputFileId().orElseThrow());
        assertEquals(inputs, output.size());
        for (int i = 0; i < inputs; i++) {
            JsonNode result = output.get(i);
            assertEquals("tx-" + i, result.path("custom_id").asText(), "custom_ids in input order");
            assertEquals(200, result.path("response").path("status_code").asInt());
            JsonNode body = result.path("response").path("body");
            assertEquals(MODEL, body.path("model").asText());
            assertTrue(ServedAdapter.LABELS.contains(body.path("data").get(0).path("label").asText()), result.toString());
            assertEquals(1 + i % 3, body.path("data").get(0).path("top").size(), "top_k of the line");
            assertTrue(result.path("error").isNull());
        }
        // The same input through /v1/classify: the same label and probability (the same scorer, the same batcher).
        JsonPath direct = given().header("Authorization", owner.bearer()).contentType("application/json")
                .body(Map.of("model", MODEL, "input", "Categorise the card transaction\n\n" + transaction(0)))
                .when().post("/v1/classify").then().statusCode(200).extract().jsonPath();
        JsonNode first = output.get(0).path("response").path("body").path("data").get(0);
        assertEquals(direct.getString("data[0].label"), first.path("label").asText());
        assertEquals(direct.getDouble("data[0].probability"), first.path("probability").asDouble(), 1e-4);

        List<JsonNode> errors = lines(batch.errorFileId().orElseThrow());
        assertEquals(1, errors.size());
        assertEquals("unknown-model", errors.get(0).path("custom_id").asText());
        assertEquals(404, errors.get(0).path("response").path("status_code").asInt());
        assertEquals("model", errors.get(0).path("response").path("body").path("errors").get(0).path("field").asText());

        FileObject outputFile = openAi.files().retrieve(batch.outputFileId().orElseThrow()).validate();
        assertEquals(FileObject.Purpose.BATCH_OUTPUT, outputFile.purpose());
        assertTrue(outputFile.bytes() > 0);

        // Listed newest first, a page at a time; a finished batch cannot be cancelled.
        Batch second = create(file.id());
        given().header("Authorization", owner.bearer()).get("/v1/batches?limit=1").then().statusCode(200)
                .body("object", is("list")).body("data[0].id", is(second.id())).body("has_more", is(true));
        given().header("Authorization", owner.bearer()).get("/v1/batches?limit=1&after=" + second.id()).then()
                .statusCode(200).body("data[0].id", is(batch.id()));
        given().header("Authorization", owner.bearer()).post("/v1/batches/" + batch.id() + "/cancel").then()
                .statusCode(409).contentType("application/problem+json");
        awaitOver(second.id());
    }

    @Test
    void aCancelledBatchStopsBetweenPassesAndKeepsItsOutput() throws Exception {
        StringBuilder content = new StringBuilder();
        int inputs = 640; // 20 passes: many more than go by before the cancel
        for (int i = 0; i < inputs; i++) {
            content.append(line("c-" + i, MODEL, transaction(i), 1));
        }
        Batch created = create(upload("long.jsonl", content.toString()).id());
        Batch cancelling = openAi.batches().cancel(created.id()).validate();
        assertTrue(Set.of(Batch.Status.CANCELLING, Batch.Status.CANCELLED).contains(cancelling.status()), cancelling.toString());
        Batch batch = awaitOver(created.id());
        assertEquals(Batch.Status.CANCELLED, batch.status());
        assertTrue(batch.cancellingAt().isPresent() && batch.cancelledAt().isPresent());
        long completed = batch.requestCounts().orElseThrow().completed();
        assertTrue(completed < inputs, "stopped before the end: " + completed);
        if (completed > 0) {
            List<JsonNode> output = lines(batch.outputFileId().orElseThrow());
            assertEquals(completed, output.size(), "the output holds the lines done before the cancel");
            assertEquals("c-0", output.get(0).path("custom_id").asText());
        }
        assertEquals(Batch.Status.CANCELLED, openAi.batches().cancel(created.id()).validate().status(), "idempotent");
    }

    @Test
    void aBatchResumesAfterItsReplicaIsKilled() throws Exception {
        StringBuilder content = new StringBuilder();
        int inputs = 480;
        for (int i = 0; i < inputs; i++) {
            content.append(line("r-" + i, MODEL, transaction(i), 1));
        }
        Batch created = create(upload("resume.jsonl", content.toString()).id());
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (openAi.batches().retrieve(created.id()).validate().requestCounts().orElseThrow().completed() < 64) {
            assertTrue(System.nanoTime() < deadline, "two passes within 120 s");
            Thread.sleep(50);
        }
        TestStack.killAndRestartInference();
        Batch batch = awaitOver(created.id());
        assertEquals(Batch.Status.COMPLETED, batch.status(), batch.toString());
        assertEquals(inputs, batch.requestCounts().orElseThrow().completed());
        List<JsonNode> output = lines(batch.outputFileId().orElseThrow());
        assertEquals(inputs, output.size(), "every line once: none lost, none twice");
        for (int i = 0; i < inputs; i++) {
            assertEquals("r-" + i, output.get(i).path("custom_id").asText());
        }
    }

    @Test
    void anotherTenantsBatchesAndFilesAreNotFoundAndBadFieldsAreNamed() throws Exception {
        FileObject file = upload("small.jsonl", line("a", MODEL, transaction(1), 1));
        Batch batch = awaitOver(create(file.id()).id());
        String output = batch.outputFileId().orElseThrow();
        Keys.Key stranger = ServedAdapter.stranger();
        for (String path : List.of("/v1/batches/" + batch.id(), "/v1/files/" + output, "/v1/files/" + output + "/content",
                "/v1/files/" + file.id(), "/v1/files/" + file.id() + "/content")) {
            given().header("Authorization", stranger.bearer()).get(path).then().statusCode(404)
                    .contentType("application/problem+json");
        }
        given().header("Authorization", stranger.bearer()).post("/v1/batches/" + batch.id() + "/cancel").then().statusCode(404);
        given().header("Authorization", stranger.bearer()).get("/v1/batches").then().statusCode(200).body("data.size()", is(0));
        createRaw(stranger, file.id(), "/v1/classify", "24h").then().statusCode(404).body("errors[0].field", is("input_file_id"));
        given().header("Authorization", owner.bearer()).get("/v1/batches/batch_000000000000000000000000").then().statusCode(404);
        given().header("Authorization", owner.bearer()).get("/v1/files/file-batch_000000000000000000000000-output")
                .then().statusCode(404);

        createRaw(owner, file.id(), "/v1/chat/completions", "24h").then().statusCode(400).body("errors[0].field", is("endpoint"));
        createRaw(owner, file.id(), "/v1/classify", "1h").then().statusCode(400).body("errors[0].field", is("completion_window"));
        createRaw(owner, "file-ds-tx-v1", "/v1/classify", "24h").then().statusCode(400).body("errors[0].field", is("input_file_id"));
        given().header("Authorization", owner.bearer()).get("/v1/batches?limit=1000").then().statusCode(400)
                .body("errors[0].field", is("limit"));

        // A bad line of an upload: 400 naming the line and the field, nothing stored.
        given().header("Authorization", owner.bearer()).multiPart("purpose", "batch")
                .multiPart("file", "bad.jsonl", (line("a", MODEL, "x", 1) + line("a", MODEL, "y", 1)
                        + line("b", MODEL, "z", 0)).getBytes(StandardCharsets.UTF_8), "application/jsonl")
                .when().post("/v1/files").then().statusCode(400).contentType("application/problem+json")
                .body("errors.line", is(List.of(2, 3))).body("errors.field", is(List.of("custom_id", "body.top_k")));
    }

    private static io.restassured.response.Response createRaw(Keys.Key key, String fileId, String endpoint, String window) {
        return given().header("Authorization", key.bearer()).contentType("application/json")
                .body(Map.of("input_file_id", fileId, "endpoint", endpoint, "completion_window", window))
                .when().post("/v1/batches");
    }

    @Test
    void theMergedOpenApiDescribesTheBatchApi() {
        given().when().get("/v1/openapi.json").then().statusCode(200)
                .body("paths.keySet()", hasItems("/v1/batches", "/v1/batches/{id}", "/v1/batches/{id}/cancel"));
    }
}
