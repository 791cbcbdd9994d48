package io.peftflow.gateway;

import io.peftflow.data.Sha256;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP service behind the gateway: echoes what reached it (method, path, query, the headers the
 * gateway sets or must drop, body length and SHA-256), streams N bytes on request, and serves a small
 * OpenAPI document.
 */
final class EchoServer implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    EchoServer() throws Exception {
        server = vertx.createHttpServer().requestHandler(request -> {
            if (request.path().endsWith("/stream")) {
                int bytes = Integer.parseInt(request.getParam("bytes"));
                request.response().setChunked(true);
                for (int sent = 0; sent < bytes; sent += 65536) {
                    request.response().write(Buffer.buffer(new byte[Math.min(65536, bytes - sent)]));
                }
                request.response().end();
                return;
            }
            if (request.path().equals("/q/health/live")) {
                request.response().end("{\"status\":\"UP\"}");
                return;
            }
            if (request.path().equals("/q/openapi")) {
                request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("openapi", "3.1.0")
                        .put("paths", new JsonObject()
                                .put("/echo/{anything}", new JsonObject().put("get", new JsonObject().put("summary", "echo")))
                                .put("/q/health", new JsonObject()))
                        .put("components", new JsonObject().put("schemas", new JsonObject().put("Echo", new JsonObject())))
                        .encode());
                return;
            }
            MessageDigest sha = Sha256.newDigest();
            long[] length = {0};
            request.handler(chunk -> {
                sha.update(chunk.getBytes());
                length[0] += chunk.length();
            });
            request.endHandler(done -> request.response()
                    .setStatusCode(request.path().contains("missing") ? 404 : 201)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("X-Upstream", "echo")
                    .end(new JsonObject()
                            .put("method", request.method().name())
                            .put("path", request.path())
                            .put("query", request.query())
                            .put("tenant", request.getHeader("X-Tenant"))
                            .put("tenantHeaders", request.headers().getAll("X-Tenant").size())
                            .put("secret", request.getHeader("X-Peftflow-Gateway-Secret"))
                            .put("authorization", request.getHeader("Authorization"))
                            .put("requestId", request.getHeader("X-Request-Id"))
                            .put("traceparent", request.getHeader("traceparent"))
                            .put("tracestate", request.getHeader("tracestate"))
                            .put("forwardedProto", request.getHeader("X-Forwarded-Proto"))
                            .put("length", length[0])
                            .put("sha256", Sha256.hex(sha))
                            .encode()));
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    @Override
    public void close() {
        vertx.close();
    }
}
