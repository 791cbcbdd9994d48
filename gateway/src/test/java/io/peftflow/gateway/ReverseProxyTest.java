package io.peftflow.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.HexFormat;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(EchoUpstream.class)
class ReverseProxyTest {

    @Test
    void forwardsMethodPathQueryHeadersAndBody() {
        byte[] body = new byte[3 * 1024 * 1024 + 7];
        new Random(7).nextBytes(body);
        given().header("X-Tenant", "acme").contentType("application/octet-stream").body(body)
                .when().post("/v1/datasets/transactions/versions?on_invalid=drop")
                .then().statusCode(201)
                .header("X-Upstream", "echo")
                .header("X-Request-Id", notNullValue())
                .body("method", is("POST"))
                .body("path", is("/datasets/transactions/versions"))
                .body("query", is("on_invalid=drop"))
                .body("tenant", is("acme"))
                .body("forwardedProto", is("http"))
                .body("length", is(body.length))
                .body("sha256", is(HexFormat.of().formatHex(EchoUpstream.sha256().digest(body))));
    }

    @Test
    void streamsChunkedUploadsAndDownloads() {
        byte[] body = new byte[2 * 1024 * 1024];
        new Random(11).nextBytes(body);
        // An InputStream body has no length: RestAssured sends it chunked.
        given().contentType("application/x-ndjson").body(new ByteArrayInputStream(body))
                .when().post("/v1/datasets/x/versions")
                .then().statusCode(201).body("length", is(body.length));

        Response download = given().when().get("/v1/datasets/x/stream?bytes=5000000");
        assertEquals(200, download.statusCode());
        assertEquals(5_000_000, download.asByteArray().length);
    }

    @Test
    void keepsTheUpstreamsErrorsAndRequestId() {
        given().header("X-Request-Id", "req-42").when().get("/v1/datasets/missing")
                .then().statusCode(404).header("X-Request-Id", "req-42").body("requestId", is("req-42"));
    }

    @Test
    void unknownApiIsProblem404() {
        given().when().get("/v1/nothing-here/x")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", is(404))
                .body("detail", containsString("known: [adapters, datasets"));
    }

    @Test
    void unreachableServiceIsProblem502() {
        given().when().get("/v1/adapters/some-adapter")
                .then().statusCode(502)
                .contentType("application/problem+json")
                .body("title", is("Bad Gateway"))
                .body("detail", containsString("adapters"));
    }

    @Test
    void readinessNamesTheServiceThatIsDown() {
        given().when().get("/q/health/ready")
                .then().statusCode(503)
                .body("checks[0].name", is("upstream services"))
                .body("checks[0].data.datasets", containsString("UP"))
                .body("checks[0].data.adapters", containsString("DOWN"));
    }
}
