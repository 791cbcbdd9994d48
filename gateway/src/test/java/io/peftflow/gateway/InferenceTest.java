package io.peftflow.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * inference-service behind the gateway on the real stack: an adapter trained through the API answers classify
 * (only trained labels, the stored label accuracy reproduced), chat and completions through the official OpenAI Java
 * SDK (streaming too), follows a promotion under load without a failed request, stays private to its tenant, and
 * refuses bad input naming the field.
 */
@QuarkusTest
class InferenceTest {
    private static final String DATASET = ServedAdapter.DATASET;
    private static final String ADAPTER = ServedAdapter.ADAPTER;
    private static final Set<String> LABELS = ServedAdapter.LABELS;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Keys.Key owner;
    private static Keys.Key stranger;

    @TestHTTPResource("/v1")
    URL api;

    @BeforeEach
    void ownerTrainsAnAdapter() {
        owner = ServedAdapter.owner();
        stranger = ServedAdapter.stranger();
    }

    private static Response classify(Keys.Key key, Map<String, Object> body) {
        return given().header("Authorization", key.bearer()).contentType("application/json").body(body)
                .when().post("/v1/classify");
    }

    @Test
    void classifyAnswersOnlyTrainedLabelsAndReproducesTheStoredLabelAccuracy() throws Exception {
        assertEquals(storedLabelAccuracy(ADAPTER, 1), servedLabelAccuracy(ADAPTER + ":1", "1", ADAPTER + ":1"), 1e-6,
                "label accuracy on the validation split");
    }

    /**
     * stack_on end to end: an adapter trained through the API on top of v1 (frozen) is registered with v1 in its
     * lineage and, named alone, served on v1: on the validation split it reproduces the label accuracy the trainer's
     * peft-core measured on the stacked model (base + v1 + the new adapter), stored with the version.
     */
    @Test
    void anAdapterTrainedOnTopOfV1IsServedOnV1() throws Exception {
        String domain = ADAPTER + "-domain";
        Training.awaitSucceeded(owner, Training.startJob(owner, """
                {"dataset": "%s", "model": "tiny-llama", "stack_on": ["%s:1"],
                 "method": {"type": "lora", "hyperparameters": {"r": 4, "lora_alpha": 8, "target_modules": ["q_proj", "o_proj"]}},
                 "training": {"max_steps": 20, "batch_size": 4, "learning_rate": 0.01},
                 "seed": 5, "adapter_name": "%s"}""".formatted(DATASET, ADAPTER, domain)));
        Training.awaitVersion(owner, domain, 1);
        given().header("Authorization", owner.bearer()).when().get("/v1/adapters/" + domain + "/versions/1").then()
                .statusCode(200).body("stackedOn[0].adapter", is(ADAPTER)).body("stackedOn[0].version", is(1))
                .body("lineage.parents[0].relation", is("stacked_on"));
        String stack = ADAPTER + ":1+" + domain + ":1";
        assertEquals(storedLabelAccuracy(domain, 1), servedLabelAccuracy(domain + ":1", "1+1", stack), 1e-6,
                "the served stack's label accuracy on the validation split");
        ServedAdapter.secondVersion();
        classify(owner, Map.of("model", ADAPTER + ":2+" + domain + ":1", "input", "x")).then().statusCode(400)
                .body("errors[0].field", is("model")).body("detail", containsString("trained on top of " + ADAPTER + ":1"));
    }

    private static double storedLabelAccuracy(String adapter, int version) {
        return given().header("Authorization", owner.bearer()).when().get("/v1/adapters/" + adapter + "/versions/" + version)
                .then().statusCode(200).extract().jsonPath().getDouble("metrics.tuned.labelAccuracy");
    }

    /**
     * {@code model}'s label accuracy on the validation split as served (only trained labels), checking the version
     * header and model it reports. The run's metrics travel as floats: compare at float precision.
     */
    private double servedLabelAccuracy(String model, String versions, String servedModel) throws Exception {
        String split = given().header("Authorization", owner.bearer())
                .when().get("/v1/datasets/" + DATASET + "/versions/1/splits/validation").then().statusCode(200)
                .extract().asString();
        List<String> inputs = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (String line : split.split("\n")) {
            JsonNode n = JSON.readTree(line);
            inputs.add(n.path("instruction").asText() + "\n\n" + n.path("input").asText());
            expected.add(n.path("output").asText().trim());
        }
        Response r = classify(owner, Map.of("model", model, "inputs", inputs, "top_k", 3));
        r.then().statusCode(200).header("x-peftflow-adapter-version", versions).body("model", is(servedModel));
        List<Map<String, Object>> data = r.jsonPath().getList("data");
        int correct = 0;
        for (int i = 0; i < data.size(); i++) {
            String label = (String) data.get(i).get("label");
            assertTrue(LABELS.contains(label), label);
            correct += label.equals(expected.get(i)) ? 1 : 0;
        }
        return (double) correct / inputs.size();
    }

    @Test
    void theOpenAiSdkChatsAndCompletesAndStreams() {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(api.toString()).apiKey(owner.secret()).build();
        ChatCompletionCreateParams chat = ChatCompletionCreateParams.builder().model(ADAPTER + ":1")
                .addUserMessage("Categorise the card transaction\n\nFreshMart #1 120 EUR").maxCompletionTokens(6)
                .temperature(0.0).seed(1L).build();
        ChatCompletion answer = client.chat().completions().create(chat);
        assertEquals(ADAPTER + ":1", answer.model());
        assertEquals("peftflow-" + ADAPTER + "-v1", answer.systemFingerprint().orElseThrow());
        String text = answer.choices().get(0).message().content().orElseThrow();
        assertTrue(answer.usage().orElseThrow().completionTokens() <= 6);

        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append)));
        }
        assertEquals(text, streamed.toString(), "greedy streaming gives the same text in pieces");

        Completion completion = client.completions().create(CompletionCreateParams.builder().model(ADAPTER + ":1")
                .prompt("Transaction: FreshMart").maxTokens(4).temperature(0.7).topP(0.9).seed(3L).build());
        assertEquals(ADAPTER + ":1", completion.model());
        assertFalse(completion.choices().isEmpty());
        given().header("Authorization", owner.bearer()).when().get("/v1/models")
                .then().statusCode(200).body("data.id", hasItem(ADAPTER));
    }

    @Test
    void requestsForDifferentVersionsShareAPassAndAnswerAsOneAdapterAtATime() throws Exception {
        ServedAdapter.secondVersion();
        List<String> inputs = List.of("FreshMart #1 120 EUR", "CityBus #3 20 EUR", "Luigi's Trattoria 45 EUR",
                "QuickMart 12 EUR", "Metro line 4 2 EUR", "Sushi Bar 30 EUR").stream()
                .map(t -> "Categorise the card transaction\n\n" + t).toList();
        Map<String, Map<String, Object>> alone = new java.util.HashMap<>();
        for (int v = 1; v <= 2; v++) {
            List<Map<String, Object>> data = classify(owner, Map.of("model", ADAPTER + ":" + v, "inputs", inputs))
                    .then().statusCode(200).extract().jsonPath().getList("data");
            for (int i = 0; i < inputs.size(); i++) {
                alone.put(v + "/" + i, data.get(i));
            }
        }
        Path log = Path.of("target", "inference-service.log");
        long mixedBefore = logLines("mixed-adapter pass");
        ConcurrentLinkedQueue<String> mismatches = new ConcurrentLinkedQueue<>();
        // concurrent single-input requests alternating between the versions queue up behind each other's passes
        for (int round = 0; round < 20 && logLines("mixed-adapter pass") == mixedBefore; round++) {
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int version = 1 + c % 2;
                int input = c % inputs.size();
                Thread t = new Thread(() -> {
                    Response r = classify(owner, Map.of("model", ADAPTER + ":" + version, "input", inputs.get(input)));
                    Map<String, Object> want = alone.get(version + "/" + input);
                    Map<String, Object> got = r.statusCode() == 200 ? r.jsonPath().getMap("data[0]") : null;
                    if (got == null || !got.get("label").equals(want.get("label"))
                            || Math.abs(((Number) got.get("probability")).doubleValue()
                            - ((Number) want.get("probability")).doubleValue()) > 1e-4) {
                        mismatches.add("v" + version + " input " + input + ": " + r.asString() + " alone: " + want);
                    }
                });
                t.start();
                clients.add(t);
            }
            for (Thread t : clients) {
                t.join();
            }
        }
        assertTrue(mismatches.isEmpty(), "mixed answers differ from one adapter at a time: " + mismatches);
        assertTrue(logLines("mixed-adapter pass") > mixedBefore, "no pass mixed the two versions (see " + log + ")");
    }

    @Test
    void aStackOfTwoVersionsClassifiesAndChatsAndABadStackNamesTheModel() {
        ServedAdapter.secondVersion();
        String stack = ADAPTER + ":1+" + ADAPTER + ":2";
        Response r = classify(owner, Map.of("model", stack, "input", "Categorise the card transaction\n\nFreshMart #1 120 EUR"));
        r.then().statusCode(200).header("x-peftflow-adapter-version", "1+2").body("model", is(stack));
        assertTrue(LABELS.contains(r.jsonPath().getString("data[0].label")));
        given().header("Authorization", owner.bearer()).contentType("application/json")
                .body(Map.of("model", stack, "max_tokens", 3, "temperature", 0,
                        "messages", List.of(Map.of("role", "user", "content", "Categorise the card transaction\n\nCityBus 2 EUR"))))
                .when().post("/v1/chat/completions").then().statusCode(200).header("x-peftflow-adapter-version", "1+2")
                .body("model", is(stack)).body("system_fingerprint", is("peftflow-" + ADAPTER + "-v1+" + ADAPTER + "-v2"));
        classify(owner, Map.of("model", ADAPTER + "+no-such-adapter", "input", "x")).then().statusCode(404)
                .body("errors[0].field", is("model"));
        classify(owner, Map.of("model", ADAPTER + ":1+" + ADAPTER + ":1", "input", "x")).then().statusCode(400)
                .body("errors[0].field", is("model")).body("detail", containsString("twice"));
        classify(owner, Map.of("model", "a+b+c+d+e", "input", "x")).then().statusCode(400)
                .body("errors[0].field", is("model"));
    }

    /** inference-service's log lines that contain every one of {@code parts}. */
    private static long logLines(String... parts) throws java.io.IOException {
        try (var lines = Files.lines(Path.of("target", "inference-service.log"))) {
            return lines.filter(l -> java.util.Arrays.stream(parts).allMatch(l::contains)).count();
        }
    }

    @Test
    void theReplicaWarmedItsBaseUpBeforeItReportedReady() throws java.io.IOException {
        // TestStack waited for readiness, which the base reaches only after its warm-up has run
        assertTrue(logLines("base model tiny-llama warmed up: ") > 0 && logLines("warmed up: 0 classify passes") == 0,
                "no warm-up of tiny-llama before readiness in target/inference-service.log");
    }

    @Test
    void promotionMovesTrafficUnderLoadWithoutAFailedRequest() throws Exception {
        ServedAdapter.secondVersion();
        ServedAdapter.champion(owner, 1);
        Map<String, Object> body = Map.of("model", ADAPTER, "input", "Categorise the card transaction\n\nCityBus #3 20 EUR");
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<long[]> answers = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    Response r = classify(owner, body);
                    if (r.statusCode() != 200) {
                        failures.add(r.statusCode() + " " + r.asString());
                    } else {
                        answers.add(new long[] {System.nanoTime(), Long.parseLong(r.header("x-peftflow-adapter-version"))});
                    }
                }
            });
            t.start();
            clients.add(t);
        }
        try {
            await(() -> answers.stream().anyMatch(a -> a[1] == 1), "v1 answers under load");
            long warmedBefore = logLines(" warmed up for traffic", "/" + ADAPTER + "/v2 ");
            long promoted = System.nanoTime();
            ServedAdapter.champion(owner, 2);
            await(() -> answers.stream().anyMatch(a -> a[0] > promoted + 3_000_000_000L), "requests 3 s after the switch");
            running.set(false);
            for (Thread t : clients) {
                t.join();
            }
            assertTrue(failures.isEmpty(), "failed requests: " + failures);
            List<Long> late = answers.stream().filter(a -> a[0] > promoted + 3_000_000_000L).map(a -> a[1]).toList();
            assertTrue(late.stream().allMatch(v -> v == 2), "only v2 answers 3 s after the switch: " + late);
            // the promotion readied v2 (loaded, one pass) before requests moved to it
            assertTrue(logLines(" warmed up for traffic", "/" + ADAPTER + "/v2 ") > warmedBefore,
                    "the promotion did not warm v2 up (see target/inference-service.log)");
        } finally {
            running.set(false);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited 30 s for " + what);
            Thread.sleep(50);
        }
    }

    @Test
    void anotherTenantsAdapterIsNotFoundAndBadInputNamesTheField() {
        classify(stranger, Map.of("model", ADAPTER, "input", "FreshMart")).then().statusCode(404)
                .contentType("application/problem+json").body("errors[0].field", is("model"));
        classify(owner, Map.of("model", "no-such-adapter", "input", "x")).then().statusCode(404)
                .body("errors[0].field", is("model"));
        classify(owner, Map.of("model", ADAPTER, "input", "FreshMart ".repeat(700))).then().statusCode(400)
                .body("errors[0].field", is("input")).body("detail", containsString("context"));
        classify(owner, Map.of("model", ADAPTER, "inputs", List.of())).then().statusCode(400)
                .body("errors[0].field", is("inputs"));
        given().header("Authorization", owner.bearer()).contentType("application/json")
                .body(Map.of("model", ADAPTER, "messages", List.of()))
                .when().post("/v1/chat/completions").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", is("messages"));
        given().header("Authorization", owner.bearer()).contentType("application/json")
                .body(Map.of("model", ADAPTER, "prompt", "x", "max_tokens", 100000))
                .when().post("/v1/completions").then().statusCode(400).body("errors[0].field", is("max_tokens"));
    }
}
