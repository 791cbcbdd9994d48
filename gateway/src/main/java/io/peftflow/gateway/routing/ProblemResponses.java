package io.peftflow.gateway.routing;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** problem+json answers for what the gateway refuses or fails at itself (no key, no route, upstream unreachable). */
public final class ProblemResponses {
    private ProblemResponses() {
    }

    public static void send(HttpServerResponse response, int status, String title, String detail) {
        if (response.headWritten()) {
            // The upstream's status is already on the wire: all that is left is to cut the stream.
            response.reset();
            return;
        }
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/problem+json")
                .end(new JsonObject()
                        .put("type", "about:blank")
                        .put("title", title)
                        .put("status", status)
                        .put("detail", detail)
                        .encode());
    }
}
