package io.peftflow.registry;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

/** Issue 22's attacks on registry-service against the real stack: oversized free text. */
@QuarkusTest
class RegistrySecurityTest {
    private static final String TENANT = "reg-attacker";

    @Test
    void oversizedReasonIs400NamingTheField() {
        String reason = "x".repeat(2 << 20);
        given().header("X-Tenant", TENANT).contentType("application/json")
                .body(Map.of("version", 1, "reason", reason)).put("/adapters/a/aliases/champion").then()
                .statusCode(400).contentType("application/problem+json");
        given().header("X-Tenant", TENANT).contentType("application/json")
                .body(Map.of("version", 1, "reason", "x".repeat(1001))).put("/adapters/a/aliases/champion").then()
                .statusCode(400).body("errors.field", hasItem("reason")).body("detail", containsString("1000"));
        given().header("X-Tenant", TENANT).queryParam("reason", "x".repeat(1001)).delete("/adapters/a/aliases/champion")
                .then().statusCode(400).body("errors.field", hasItem("reason"));
    }
}
