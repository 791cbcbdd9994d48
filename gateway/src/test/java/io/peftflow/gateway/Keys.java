package io.peftflow.gateway;

import io.restassured.http.ContentType;

import java.util.Map;

import static io.restassured.RestAssured.given;

/** API keys made through the admin API, as an operator would. */
final class Keys {
    static final String ADMIN = "Bearer test-admin-key";

    private Keys() {
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
        var created = given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(body)
                .when().post("/admin/keys").then().statusCode(201).extract().jsonPath();
        return new Key(created.getString("key.id"), created.getString("secret"));
    }

    static Key create(String tenant) {
        return create(tenant, null, null);
    }
}
