package io.peftflow.gateway;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22's attacks on the gateway, in front of the real services: path traversal to a service's own endpoints,
 * internal addresses in Location, a flood of guessed keys, and the admin API on the public port.
 */
@QuarkusTest
class GatewaySecurityTest {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @TestHTTPResource("/")
    URI base;

    @Test
    void traversalVariantsAre404AndNeverReachAServicesOwnEndpoints() throws Exception {
        Keys.Key key = Keys.create("traversal-" + RUN);
        List<String> attacks = List.of("/v1/datasets/../q/metrics", "/v1/datasets/%2e%2e/q/metrics",
                "/v1/datasets/%2E%2E/q/metrics", "/v1/datasets/.%2e/q/metrics", "/v1/datasets/%252e%252e/q/metrics",
                "/v1/datasets/%25252e%25252e/q/metrics", "/v1/datasets/..%2fq%2fmetrics", "/v1/datasets/%2e%2e%2fq%2fmetrics",
                "/v1/datasets/..%5cq%5cmetrics", "/v1/datasets/./../q/metrics", "/v1/../q/metrics", "/v1/q/metrics",
                "/v1/datasets/x/../../adapters/y", "/v1/fine-tuning/../../q/health", "/v1/q/openapi");
        for (String path : attacks) {
            String answer = raw("GET", path, key.bearer());
            assertTrue(answer.startsWith("HTTP/1.1 404"), path + " -> " + answer.lines().findFirst().orElse(""));
            assertFalse(answer.contains("outbox") || answer.contains("# TYPE"), path + " leaked metrics: " + answer);
        }
        // What the probes need stays where they look: the gateway's own health and metrics.
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void locationNamesTheGatewaysPublicAddressNotTheService() {
        Keys.Key key = Keys.create("location-" + RUN);
        String location = given().header("Authorization", key.bearer()).contentType("application/x-ndjson")
                .body(Samples.transactions(30).getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/datasets/loc/versions?on_invalid=drop")
                .then().statusCode(201).extract().header("Location");
        assertEquals("http://localhost:" + base.getPort() + "/v1/datasets/loc/versions/1", location);
        assertFalse(location.contains(URI.create(TestStack.datasetServiceUrl).getPort() + "/"), location);
        // Behind a trusted proxy (loopback in tests), the address the client called the proxy at.
        String proxied = given().header("Authorization", key.bearer()).header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "api.example.com").contentType("application/x-ndjson")
                .body(Samples.transactions(36).getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/datasets/loc/versions?on_invalid=drop")
                .then().statusCode(201).extract().header("Location");
        assertEquals("https://api.example.com/v1/datasets/loc/versions/2", proxied);
        given().header("Authorization", key.bearer()).get(URI.create(location).getPath()).then().statusCode(200)
                .body("version", is(1));
    }

    /**
     * 300 distinct unknown keys from one client address: only the burst is looked up (401), the rest is 429 with
     * Retry-After. The address is the proxy's last hop: a client prepending X-Forwarded-For entries changes nothing.
     */
    @Test
    void unknownKeyFloodIsThrottledPerClientAddress() {
        String address = "198.51.100." + (1 + (int) (Math.random() * 250));
        int unauthorized = 0;
        int throttled = 0;
        long started = System.nanoTime();
        for (int i = 0; i < 300; i++) {
            var r = given().header("Authorization", "Bearer pfk_guess-" + UUID.randomUUID())
                    .header("X-Forwarded-For", "10.0.0." + (i % 250) + ", " + address).get("/v1/me");
            if (r.statusCode() == 401) {
                unauthorized++;
            } else if (r.statusCode() == 429) {
                throttled++;
                assertTrue(Long.parseLong(r.header("Retry-After")) >= 1);
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        // The burst (20), and what the bucket refilled (10 a minute) while a slow machine sent the 300.
        long allowed = 20 + (long) Math.ceil(millis / 60_000.0 * 10) + 1;
        assertTrue(unauthorized <= allowed, unauthorized + " guesses were looked up in " + millis + " ms; at most "
                + allowed + " may be");
        assertEquals(300, unauthorized + throttled, "every guess refused");
        // A known key from another address is unaffected.
        Keys.Key key = Keys.create("flood-" + RUN);
        given().header("Authorization", key.bearer()).header("X-Forwarded-For", "192.0.2.10").get("/v1/me")
                .then().statusCode(200);
        System.out.printf("unknown-key flood: %d x 401, %d x 429 in %d ms%n", unauthorized, throttled, millis);
    }

    @Test
    void adminApiIsOnItsOwnPortOnly() {
        given().header("Authorization", Keys.ADMIN).get("/admin/keys").then().statusCode(404)
                .contentType("application/problem+json");
        Keys.admin().get("/admin/keys").then().statusCode(200);
        Keys.adminPort().get("/v1/me").then().statusCode(404);
        Keys.adminPort().get("/").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(200).body("status", startsWith("UP"));
    }

    /** One request exactly as written (no client library normalises the path), its answer as text. */
    private String raw(String method, String path, String authorization) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAuthorization: " + authorization + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder answer = new StringBuilder();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                answer.append(line).append('\n');
            }
            return answer.toString();
        }
    }
}
