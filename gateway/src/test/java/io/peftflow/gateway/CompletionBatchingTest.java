package io.peftflow.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent completions on one base are decoded together (inference-service's decoding batch) and each answers
 * exactly as it does alone: two LoRA versions and a stack, chat and text, greedy and seeded sampling, a stop sequence,
 * a stream. A client that leaves, during a stream or before a whole answer, frees its row; bad sampling fields are a
 * 400 naming the field.
 */
@QuarkusTest
class CompletionBatchingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADAPTER = ServedAdapter.ADAPTER;
    private static final Path LOG = Path.of("target", "inference-service.log");
    private static final Pattern ROWS = Pattern.compile("decoding batch on \\S+: (\\d+) rows");

    @TestHTTPResource("/v1")
    URL api;

    /** A call and what it answered: text, finish reason, completion tokens, the version that answered. */
    private record Call(String path, Map<String, Object> body) {
        String answer() {
            Response r = given().header("Authorization", ServedAdapter.owner().bearer()).contentType("application/json")
                    .body(body).when().post("/v1" + path);
            if (r.statusCode() != 200) {
                return r.statusCode() + " " + r.asString();
            }
            String version = r.header("x-peftflow-adapter-version");
            try {
                if (Boolean.TRUE.equals(body.get("stream"))) {
                    return version + " " + streamed(r.asString());
                }
                JsonNode n = JSON.readTree(r.asString());
                JsonNode choice = n.path("choices").path(0);
                String text = choice.has("message") ? choice.path("message").path("content").asText()
                        : choice.path("text").asText();
                return version + " " + n.path("model").asText() + " " + n.path("system_fingerprint").asText() + " "
                        + choice.path("finish_reason").asText() + " " + n.path("usage").path("completion_tokens").asInt()
                        + " [" + text + "]";
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A stream's events summed up as a whole answer is. */
        private static String streamed(String events) throws IOException {
            StringBuilder text = new StringBuilder();
            String model = null;
            String fingerprint = null;
            String finish = null;
            int tokens = -1;
            for (String line : events.split("\n")) {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                    continue;
                }
                JsonNode n = JSON.readTree(line.substring(6));
                model = n.path("model").asText();
                fingerprint = n.path("system_fingerprint").asText();
                for (JsonNode c : n.path("choices")) {
                    text.append(c.path("delta").path("content").asText(""));
                    if (c.hasNonNull("finish_reason")) {
                        finish = c.path("finish_reason").asText();
                    }
                }
                if (n.hasNonNull("usage")) {
                    tokens = n.path("usage").path("completion_tokens").asInt();
                }
            }
            return model + " " + fingerprint + " " + finish + " " + tokens + " [" + text + "]";
        }
    }

    private static Map<String, Object> chat(String model, String transaction, int maxTokens, double temperature,
                                            double topP, long seed) {
        return new HashMap<>(Map.of("model", model, "max_tokens", maxTokens, "temperature", temperature, "top_p", topP,
                "seed", seed, "messages", List.of(Map.of("role", "user",
                        "content", "Categorise the card transaction\n\n" + transaction))));
    }

    private static Map<String, Object> text(String model, String prompt, int maxTokens, double temperature,
                                            double topP, long seed) {
        return new HashMap<>(Map.of("model", model, "prompt", prompt, "max_tokens", maxTokens,
                "temperature", temperature, "top_p", topP, "seed", seed));
    }

    @Test
    void concurrentCompletionsAreDecodedTogetherAndAnswerAsAlone() throws Exception {
        ServedAdapter.secondVersion();
        String v1 = ADAPTER + ":1";
        String v2 = ADAPTER + ":2";
        List<Call> calls = new ArrayList<>(List.of(
                new Call("/completions", text(v1, "Transaction: FreshMart #1 120 EUR", 12, 0, 1, 1)),
                new Call("/completions", text(v2, "Transaction: CityBus #3 20 EUR", 16, 1.2, 1, 5)),
                new Call("/chat/completions", chat(v1, "Luigi's Trattoria 45 EUR", 8, 0, 1, 2)),
                new Call("/chat/completions", chat(v2, "QuickMart 12 EUR", 10, 1.2, 0.9, 9)),
                new Call("/completions", text(v1, "Card payment at the Sushi Bar", 20, 1.0, 1, 11)),
                new Call("/chat/completions", chat(v2, "Metro line 4 2 EUR", 6, 0, 1, 3)),
                // a stack decodes in a batch of its own version (not a LoRA row)
                new Call("/chat/completions", chat(v1 + "+" + v2, "CityBus 2 EUR", 5, 0, 1, 4))));
        Map<String, Object> streamed = chat(v1, "FreshMart #7 18 EUR", 12, 0.7, 1, 3);
        streamed.put("stream", true);
        streamed.put("stream_options", Map.of("include_usage", true));
        calls.add(new Call("/chat/completions", streamed));
        List<String> alone = new ArrayList<>(calls.stream().map(Call::answer).toList());
        // a stop sequence: a piece of a sampled answer, which then ends right before it
        String sampled = alone.get(1).substring(alone.get(1).indexOf('[') + 1, alone.get(1).length() - 1);
        assertTrue(sampled.length() >= 4, "a sampled answer long enough to stop in: " + alone.get(1));
        String stop = sampled.substring(2, 4);
        Map<String, Object> stopped = text(v2, "Transaction: CityBus #3 20 EUR", 16, 1.2, 1, 5);
        stopped.put("stop", List.of(stop));
        calls.add(new Call("/completions", stopped));
        alone.add(calls.get(calls.size() - 1).answer());
        assertTrue(alone.get(alone.size() - 1).contains(" stop ")
                && alone.get(alone.size() - 1).endsWith("[" + sampled.substring(0, sampled.indexOf(stop)) + "]"),
                alone.get(alone.size() - 1) + " stops before '" + stop + "' of " + alone.get(1));
        assertTrue(alone.stream().allMatch(a -> a.startsWith("1 ") || a.startsWith("2 ") || a.startsWith("1+2 ")),
                "every call answered: " + alone);

        // all at once, until a decoding step held several of them (each round must answer as alone)
        int most = 0;
        for (int round = 0; round < 5 && most < 3; round++) {
            long mark = logLines();
            CountDownLatch go = new CountDownLatch(1);
            String[] together = new String[calls.size()];
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                int index = i;
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    together[index] = calls.get(index).answer();
                });
                t.start();
                clients.add(t);
            }
            go.countDown();
            for (Thread t : clients) {
                t.join();
            }
            assertEquals(alone, List.of(together), "round " + round);
            most = mostRows(mark);
        }
        assertTrue(most >= 3, "at most " + most + " rows decoded together (see " + LOG + ")");
    }

    @Test
    void aClientLeavingAStreamFreesItsRow() throws Exception {
        Map<String, Object> ask = longAnswer(24);
        ask.put("max_tokens", 400);
        ask.put("stream", true);
        long mark = logLines();
        // a client that reads the first event and hangs up
        try (Socket socket = post(ask)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("data: ")) {
                assertFalse(line.startsWith("HTTP/1.1") && !line.contains(" 200 "), line);
            }
            assertTrue(line != null, "a first event");
        }
        awaitCancelled(mark);
    }

    @Test
    void aClientLeavingBeforeTheAnswerFreesItsRow() throws Exception {
        Map<String, Object> ask = longAnswer(24);
        ask.put("max_tokens", 400);
        // The client hangs up once its row decodes, before any byte of the answer. Its first 24 tokens take ~100 ms
        // here; a row that still ends by itself before the hang-up reaches it is tried again.
        List<String> ended = new ArrayList<>();
        for (int attempt = 0; attempt < 5; attempt++) {
            long mark = logLines();
            try (Socket socket = post(ask)) {
                awaitLine(mark, l -> ROWS.matcher(l).find(), "the completion never started decoding");
            }
            String end = awaitLine(mark, l -> l.contains("completion of"), "the completion never ended");
            if (end.contains("ended (cancelled by its client)")) {
                return;
            }
            ended.add(end);
        }
        throw new AssertionError("a non-streaming completion whose client left decoded to its end: " + ended);
    }

    /** A seeded sampling request whose answer runs to {@code tokens} tokens without an EOS. */
    private static Map<String, Object> longAnswer(int tokens) {
        Map<String, Object> ask = text(ADAPTER + ":1", "Transaction: a long story about", tokens, 2.0, 1, 0);
        String answer = "";
        for (long seed = 1; seed <= 40 && !answer.contains(" length "); seed++) {
            ask.put("seed", seed);
            answer = new Call("/completions", ask).answer();
        }
        assertTrue(answer.contains(" length " + tokens + " "), "no seed gave " + tokens + " tokens: " + answer);
        return ask;
    }

    /** Sends {@code body} to /v1/completions on a raw socket, which the caller closes to leave. */
    private Socket post(Map<String, Object> body) throws IOException {
        byte[] json = JSON.writeValueAsBytes(body);
        Socket socket = new Socket(api.getHost(), api.getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/completions HTTP/1.1\r\nHost: " + api.getHost() + "\r\nAuthorization: "
                + ServedAdapter.owner().bearer() + "\r\nContent-Type: application/json\r\nAccept: */*"
                + "\r\nContent-Length: " + json.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(json);
        out.flush();
        return socket;
    }

    private static void awaitCancelled(long mark) throws Exception {
        awaitLine(mark, l -> l.contains("ended (cancelled by its client)"),
                "the row of a completion whose client left still decodes");
    }

    /** The first inference-service log line since {@code mark} that {@code wanted} accepts, within 30 s. */
    private static String awaitLine(long mark, Predicate<String> wanted, String otherwise) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            List<String> lines = linesSince(mark);
            for (String l : lines) {
                if (wanted.test(l)) {
                    return l;
                }
            }
            assertTrue(System.nanoTime() < deadline, otherwise + ": "
                    + lines.stream().filter(l -> l.contains("completion of")).toList());
            Thread.sleep(5);
        }
    }

    @Test
    void badSamplingFieldsAreNamed() {
        for (Map.Entry<String, Object> bad : Map.<String, Object>of("temperature", 3, "top_p", 0, "n", 2,
                "max_tokens", 0, "stop", List.of("a", "b", "c", "d", "e")).entrySet()) {
            Map<String, Object> body = text(ADAPTER, "Transaction: x", 4, 0, 1, 1);
            body.put(bad.getKey(), bad.getValue());
            given().header("Authorization", ServedAdapter.owner().bearer()).contentType("application/json").body(body)
                    .when().post("/v1/completions").then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", is(bad.getKey())).body("detail", containsString(bad.getKey()));
        }
    }

    private static long logLines() throws IOException {
        try (var lines = Files.lines(LOG)) {
            return lines.count();
        }
    }

    private static List<String> linesSince(long mark) throws IOException {
        try (var lines = Files.lines(LOG)) {
            return lines.skip(mark).toList();
        }
    }

    /** The most rows one decoding batch held in the log since {@code mark}. */
    private static int mostRows(long mark) throws IOException {
        int most = 0;
        for (String line : linesSince(mark)) {
            Matcher m = ROWS.matcher(line);
            if (m.find()) {
                most = Math.max(most, Integer.parseInt(m.group(1)));
            }
        }
        return most;
    }
}
