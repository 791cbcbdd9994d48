package io.peftflow.gateway;

import io.peftflow.data.Sha256;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The proxy's mechanics against the echo server: what reaches a service, what streams, what fails where. */
@QuarkusTest
@QuarkusTestResource(value = TestStack.class, restrictToAnnotatedClass = false)
class ReverseProxyTest {
    private Keys.Key acme;

    /** Per test: RestAssured learns the gateway's port only once a test runs. */
    @BeforeEach
    void key() {
        acme = Keys.create("acme");
    }

    @Test
    void forwardsMethodPathQueryHeadersAndBody() {
        byte[] body = new byte[3 * 1024 * 1024 + 7];
        new Random(7).nextBytes(body);
        given().header("Authorization", acme.bearer()).contentType("application/octet-stream").body(body)
                .when().post("/v1/echo/transactions/versions?on_invalid=drop")
                .then().statusCode(201)
                .header("X-Upstream", "echo")
                .header("X-Request-Id", notNullValue())
                .body("method", is("POST"))
                .body("path", is("/echo/transactions/versions"))
                .body("query", is("on_invalid=drop"))
                .body("forwardedProto", is("http"))
                .body("length", is(body.length))
                .body("sha256", is(Sha256.hex(body)));
    }

    @Test
    void tenantComesFromTheKeyAndTheClientsTenantIsDropped() {
        given().header("Authorization", acme.bearer()).header("X-Tenant", "someone-else").header("x-tenant", "third")
                .when().get("/v1/echo/who")
                .then().statusCode(201)
                .body("tenant", is("acme"))
                .body("tenantHeaders", is(1))
                // The services see the shared secret, never the tenant's key.
                .body("secret", is(TestStack.SECRET))
                .body("authorization", nullValue());
    }

    @Test
    void correlationIdAndTraceContextReachTheService() {
        String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        given().header("Authorization", acme.bearer()).header("X-Request-Id", "req-42")
                .header("traceparent", parent).header("tracestate", "vendor=1")
                .when().get("/v1/echo/traced")
                .then().statusCode(201).header("X-Request-Id", "req-42")
                .body("requestId", is("req-42"))
                // Same trace, the gateway's own span as the parent.
                .body("traceparent", startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-"))
                .body("traceparent", not(is(parent)))
                .body("tracestate", is("vendor=1"));
        given().header("Authorization", acme.bearer()).header("traceparent", "garbage")
                .when().get("/v1/echo/untraced")
                .then().statusCode(201)
                .body("requestId", matchesPattern("[0-9a-f-]{36}"))
                .body("traceparent", matchesPattern("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"));
    }

    @Test
    void streamsChunkedUploadsAndDownloads() {
        byte[] body = new byte[2 * 1024 * 1024];
        new Random(11).nextBytes(body);
        // An InputStream body has no length: RestAssured sends it chunked.
        given().header("Authorization", acme.bearer()).contentType("application/x-ndjson").body(new ByteArrayInputStream(body))
                .when().post("/v1/echo/x/versions")
                .then().statusCode(201).body("length", is(body.length));

        Response download = given().header("Authorization", acme.bearer()).when().get("/v1/echo/x/stream?bytes=5000000");
        assertEquals(200, download.statusCode());
        assertEquals(5_000_000, download.asByteArray().length);
    }

    @Test
    void keepsTheUpstreamsErrors() {
        given().header("Authorization", acme.bearer()).when().get("/v1/echo/missing")
                .then().statusCode(404).header("X-Upstream", "echo");
    }

    @Test
    void unknownApiIsProblem404() {
        given().header("Authorization", acme.bearer()).when().get("/v1/nothing-here/x")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", is(404))
                .body("detail", containsString("known: [adapters, batches, chat, classify, completions, datasets, down, echo"));
    }

    @Test
    void aServiceThatIsDownFailsItsOwnRoutesOnly() {
        given().header("Authorization", acme.bearer()).when().get("/v1/down/some-adapter")
                .then().statusCode(502)
                .contentType("application/problem+json")
                .body("title", is("Bad Gateway"))
                .body("detail", containsString("down"));
        given().header("Authorization", acme.bearer()).when().get("/v1/echo/still-up").then().statusCode(201);
        // Ready means "can serve": the gateway stays in rotation; the services' state is at /q/health/well.
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/health/well")
                .then().statusCode(503)
                .body("checks[0].name", is("upstream services"))
                .body("checks[0].data.echo", startsWith("UP"))
                .body("checks[0].data.down", startsWith("DOWN"));
    }

    @Test
    void openApiMergesTheServicesUnderV1() {
        given().when().get("/v1/openapi.json")
                .then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/echo/{anything}"))
                .body("paths", not(org.hamcrest.Matchers.hasKey("/v1/q/health")))
                .body("paths", org.hamcrest.Matchers.hasKey("/admin/keys"))
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/datasets/{name}/versions"))
                .body("components.schemas", org.hamcrest.Matchers.hasKey("Echo"))
                .body("x-unavailable", hasItem("down"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }
}
