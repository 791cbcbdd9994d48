package io.peftflow.gateway;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys: no key, a wrong or revoked key → 401; over the key's rate → 429 + Retry-After; the admin API. */
@QuarkusTest
class ApiKeyAuthTest {

    @Test
    void noKeyOrAWrongKeyIs401() {
        given().when().get("/v1/echo/x").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("detail", containsString("Authorization: Bearer"));
        given().header("Authorization", "Bearer pfk_not-a-key").when().get("/v1/echo/x").then().statusCode(401)
                .body("detail", containsString("unknown or revoked"));
        given().header("Authorization", "Basic dXNlcjpwYXNz").when().get("/v1/datasets").then().statusCode(401);
        // A client's X-Tenant is no way in either.
        given().header("X-Tenant", "acme").when().get("/v1/datasets").then().statusCode(401);
    }

    @Test
    void aRevokedKeyIs401AtOnce() {
        Keys.Key key = Keys.create("revoked-co");
        given().header("Authorization", key.bearer()).when().get("/v1/me").then().statusCode(200).body("tenant", is("revoked-co"));
        given().header("Authorization", Keys.ADMIN).when().delete("/admin/keys/" + key.id()).then().statusCode(204);
        given().header("Authorization", key.bearer()).when().get("/v1/me").then().statusCode(401);
        given().header("Authorization", Keys.ADMIN).when().get("/admin/keys?tenant=revoked-co")
                .then().statusCode(200).body("[0].revokedAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void overTheKeysRateIs429WithRetryAfter() {
        // One request a minute after a burst of 3: the 4th is refused however slow the machine is.
        Keys.Key key = Keys.create("limited-co", 1, 3);
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", key.bearer()).when().get("/v1/echo/x").then().statusCode(201);
        }
        var refused = given().header("Authorization", key.bearer()).when().get("/v1/echo/x").then().statusCode(429)
                .contentType("application/problem+json").body("detail", containsString("1 requests/min")).extract();
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        // Another key of the same tenant has its own bucket.
        Keys.Key other = Keys.create("limited-co");
        given().header("Authorization", other.bearer()).when().get("/v1/echo/x").then().statusCode(201);
    }

    @Test
    void adminApiNeedsTheAdminKeyAndNeverShowsSecrets() {
        given().contentType(ContentType.JSON).body(Map.of("tenant", "x")).when().post("/admin/keys").then().statusCode(401)
                .contentType("application/problem+json");
        Keys.Key tenantKey = Keys.create("admin-co");
        // A tenant's key is no admin key.
        given().header("Authorization", tenantKey.bearer()).when().get("/admin/keys").then().statusCode(401);
        given().header("Authorization", Keys.ADMIN).contentType(ContentType.JSON).body(Map.of("tenant", "Bad Tenant!"))
                .when().post("/admin/keys").then().statusCode(400).body("detail", containsString("tenant must be 1 to 63 lower-case"));
        given().header("Authorization", Keys.ADMIN).when().delete("/admin/keys/no-such-key").then().statusCode(404);

        String listing = given().header("Authorization", Keys.ADMIN).when().get("/admin/keys?tenant=admin-co")
                .then().statusCode(200)
                .body("tenant", everyItem(is("admin-co")))
                .body("id", hasItem(tenantKey.id()))
                .body("prefix", hasItem(tenantKey.secret().substring(0, 10)))
                .extract().asString();
        assertTrue(!listing.contains(tenantKey.secret()) && !listing.contains("keyHash"), listing);
    }

    @Test
    void meSaysWhoTheKeyBelongsTo() {
        Keys.Key key = Keys.create("me-co");
        given().header("Authorization", key.bearer()).when().get("/v1/me")
                .then().statusCode(200).body("tenant", is("me-co")).body("key.id", is(key.id()))
                .body("$", not(org.hamcrest.Matchers.hasKey("secret")));
        // The scheme is case-insensitive (RFC 9110 §11.1).
        assertEquals(200, given().header("Authorization", "bearer " + key.secret()).when().get("/v1/me").statusCode());
    }
}
