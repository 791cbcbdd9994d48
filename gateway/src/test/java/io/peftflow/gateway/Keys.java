package io.peftflow.gateway;

import io.peftflow.gateway.admin.AdminPort;
import io.quarkus.arc.Arc;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.Map;

import static io.restassured.RestAssured.given;

/** API keys made through the admin API, as an operator would. */
final class Keys {
    static final String ADMIN = "Bearer test-admin-key";

    private Keys() {
    }

    /** A request to the admin port (its own port, apart from the public API's), without a key. */
    static RequestSpecification adminPort() {
        return given().port(Arc.container().instance(AdminPort.class).get().port());
    }

    /** The same with the bootstrap admin key. */
    static RequestSpecification admin() {
        return adminPort().header("Authorization", ADMIN);
    }

    record Key(String id, String secret) {
        String bearer() {
            return "Bearer " + secret;
        }
    }

    static Key create(String tenant, Integer requestsPerMinute, Integer burst) {
        var body = new java.util.HashMap<String, Object>(Map.of("tenant", tenant, "name", tenant + " test key"));
        if (requestsPerMinute != null) {
            body.put("requestsPerMinute", requestsPerMinute);
            body.put("burst", burst);
        }
        var created = admin().contentType(ContentType.JSON).body(body)
                .when().post("/admin/keys").then().statusCode(201).extract().jsonPath();
        return new Key(created.getString("key.id"), created.getString("secret"));
    }

    static Key create(String tenant) {
        return create(tenant, null, null);
    }
}
