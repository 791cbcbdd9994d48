package io.peftflow.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to every public operation, read from the merged OpenAPI (so a new operation is covered the day it is
 * documented): odd path ids, query values of the wrong type or out of range, JSON bodies that are broken, of the
 * wrong shape, deeply nested, or with one field of the wrong type or missing, and garbage for other media types.
 * Each answer must be a client error in problem+json (or a success where the input happens to be valid), within 10
 * s: never a 5xx, a hang, or a bare 4xx. Seeded, so a failure reproduces; a fresh tenant owns nothing, so nothing is
 * changed.
 */
@QuarkusTest
class BadInputTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> ODD_IDS = List.of("x", "-1", "0", "9".repeat(40), "..", "a b", "%", "é",
            "x".repeat(300), "' OR 1=1 --", "<b>", "a:b:c", "name:champion:7", "a+b+c+d+e", "null", "💥");
    private static final long SLOW_MS = 10_000;

    @Test
    void everyOperationAnswersBadInputWithAProblem() throws Exception {
        // a limit above the requests sent: a 429 would hide the answer under test
        Keys.Key key = Keys.create("bad-input-" + UUID.randomUUID().toString().substring(0, 8), 100_000, 100_000);
        JsonNode doc = MAPPER.readTree(given().when().get("/v1/openapi.json").then().statusCode(200).extract().asString());
        JsonNode schemas = doc.path("components").path("schemas");
        Random random = new Random(42);
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                Operation operation = new Operation(op.getKey(), path.getKey(), op.getValue(), schemas);
                for (Attempt attempt : operation.attempts(random)) {
                    requests++;
                    String failure = send(key, attempt);
                    if (failure != null) {
                        failures.add(failure);
                    }
                }
            }
        }
        assertTrue(requests > 300, "the merged OpenAPI gave only " + requests + " requests to send");
        assertTrue(failures.isEmpty(), failures.size() + " of " + requests + " bad requests were not answered with "
                + "a problem:\n" + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
    }

    private static String send(Keys.Key key, Attempt a) {
        var request = given().header("Authorization", key.bearer()).urlEncodingEnabled(false);
        if (a.body() != null) {
            request.contentType(a.contentType()).body(a.body());
        }
        long start = System.nanoTime();
        Response r = request.request(a.method(), a.uri());
        long ms = (System.nanoTime() - start) / 1_000_000;
        int status = r.statusCode();
        String type = r.contentType() == null ? "" : r.contentType();
        boolean problem = type.startsWith("application/problem+json");
        boolean fine = status < 400 || (status < 500 && problem);
        if (fine && ms <= SLOW_MS) {
            return null;
        }
        String body = a.body() == null ? "" : new String(a.body(), StandardCharsets.UTF_8);
        return a.method() + " " + abbreviate(a.uri()) + " " + abbreviate(body) + " -> " + status + " " + type + " in " + ms
                + " ms: " + abbreviate(r.asString());
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "…(" + s.length() + " chars)";
    }

    record Attempt(String method, String uri, String contentType, byte[] body) {
    }

    /** One documented operation and the bad requests made from its description. */
    private record Operation(String method, String template, JsonNode spec, JsonNode schemas) {
        List<Attempt> attempts(Random random) {
            List<Attempt> out = new ArrayList<>();
            List<byte[]> bodies = new ArrayList<>();
            String contentType = null;
            JsonNode content = spec.path("requestBody").path("content");
            if (content.has("application/json")) {
                contentType = "application/json";
                bodies.addAll(jsonBodies(resolve(content.path("application/json").path("schema")), random));
            } else if (content.fieldNames().hasNext()) {
                contentType = content.fieldNames().next();
                bodies.add(new byte[0]);
                bodies.add(new byte[] {0, (byte) 0xff, (byte) 0xfe, '{', '\n', '"'});
                bodies.add("not json\n{\"a\":\n".getBytes(StandardCharsets.UTF_8));
            } else {
                bodies.add(null);
            }
            // every body once with plausible parameters, then odd parameters with a body drawn at random
            for (byte[] body : bodies) {
                out.add(new Attempt(method, uri(random, false), contentType, body));
            }
            for (int i = 0; i < 8; i++) {
                out.add(new Attempt(method, uri(random, true), contentType, bodies.get(random.nextInt(bodies.size()))));
            }
            return out;
        }

        private String uri(Random random, boolean odd) {
            String uri = template;
            List<String> query = new ArrayList<>();
            for (JsonNode p : spec.path("parameters")) {
                String name = p.path("name").asText();
                if (p.path("in").asText().equals("path")) {
                    String id = odd ? ODD_IDS.get(random.nextInt(ODD_IDS.size())) : "x";
                    uri = uri.replace("{" + name + "}", URLEncoder.encode(id, StandardCharsets.UTF_8));
                } else if (p.path("in").asText().equals("query") && (odd ? random.nextInt(3) > 0 : random.nextBoolean())) {
                    JsonNode value = odd ? wrong(resolve(p.path("schema")), random) : plausible(p.path("schema"), 0);
                    // at most 300 characters: a longer request line is refused by the HTTP server itself (414)
                    String text = value.isTextual() ? value.asText() : value.toString();
                    query.add(name + "=" + URLEncoder.encode(text.substring(0, Math.min(300, text.length())),
                            StandardCharsets.UTF_8));
                }
            }
            uri = uri.replaceAll("\\{[^}]+}", "x");
            return query.isEmpty() ? uri : uri + "?" + String.join("&", query);
        }

        private List<byte[]> jsonBodies(JsonNode schema, Random random) {
            List<String> bodies = new ArrayList<>(List.of("", "{", "[]", "\"x\"", "null", "17",
                    "{\"a\":".repeat(3000) + "1" + "}".repeat(3000)));
            JsonNode good = plausible(schema, 0);
            bodies.add(good.toString());
            if (good instanceof ObjectNode object) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = schema.path("properties").fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    for (int i = 0; i < 2; i++) {
                        ObjectNode bad = object.deepCopy();
                        bad.set(field.getKey(), wrong(resolve(field.getValue()), random));
                        bodies.add(bad.toString());
                    }
                    ObjectNode missing = object.deepCopy();
                    missing.remove(field.getKey());
                    bodies.add(missing.toString());
                }
            }
            Set<String> distinct = new LinkedHashSet<>(bodies);
            return distinct.stream().map(b -> b.getBytes(StandardCharsets.UTF_8)).toList();
        }

        private JsonNode resolve(JsonNode s) {
            while (s.has("$ref")) {
                String ref = s.path("$ref").asText();
                s = schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
            }
            if (s.has("allOf") && s.path("allOf").size() == 1) {
                return resolve(s.path("allOf").get(0));
            }
            return s;
        }

        /** A value the schema would accept, as far as its types go. */
        private JsonNode plausible(JsonNode schema, int depth) {
            JsonNode s = resolve(schema);
            if (s.has("example")) {
                return s.path("example");
            }
            if (s.has("enum")) {
                return s.path("enum").get(0);
            }
            String type = s.path("type").asText("");
            if (type.equals("object") || s.has("properties")) {
                ObjectNode o = JSON.objectNode();
                if (depth < 4) {
                    s.path("properties").fields().forEachRemaining(f -> o.set(f.getKey(), plausible(f.getValue(), depth + 1)));
                }
                return o;
            }
            return switch (type) {
                case "array" -> depth < 4 ? JSON.arrayNode().add(plausible(s.path("items"), depth + 1)) : JSON.arrayNode();
                case "integer" -> JSON.numberNode(1);
                case "number" -> JSON.numberNode(0.5);
                case "boolean" -> JSON.booleanNode(false);
                default -> JSON.textNode("x");
            };
        }

        /** A value of the wrong type, or of the right type out of any sensible range. */
        private JsonNode wrong(JsonNode s, Random random) {
            String type = s.path("type").asText("");
            List<JsonNode> choices = switch (type) {
                case "integer", "number" -> List.of(JSON.textNode("x"), JSON.numberNode(-1), JSON.numberNode(0),
                        JSON.numberNode(Long.MAX_VALUE), JSON.numberNode(1e308), JSON.numberNode(0.5),
                        JSON.arrayNode(), JSON.booleanNode(true));
                case "string" -> List.of(JSON.numberNode(1), JSON.arrayNode(), JSON.objectNode(), JSON.textNode(""),
                        JSON.textNode("x".repeat(100_000)), JSON.textNode("\u0000"), JSON.textNode("../../etc/passwd"));
                case "array" -> List.of(JSON.objectNode(), JSON.textNode("x"), JSON.arrayNode().add(JSON.nullNode()),
                        many(5000), JSON.arrayNode());
                case "boolean" -> List.of(JSON.textNode("yes"), JSON.numberNode(1), JSON.arrayNode());
                default -> List.of(JSON.textNode("x"), JSON.numberNode(1), JSON.arrayNode(), JSON.booleanNode(true));
            };
            return choices.get(random.nextInt(choices.size()));
        }

        private static ArrayNode many(int n) {
            ArrayNode a = JSON.arrayNode();
            for (int i = 0; i < n; i++) {
                a.add("x" + i);
            }
            return a;
        }
    }
}
