package io.peftflow.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.net.ServerSocket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP service behind the gateway: echoes what reached it (method, path, query, forwarded headers,
 * body length and SHA-256) and streams N bytes on request. Route {@code adapters} points at a closed port.
 */
public class EchoUpstream implements QuarkusTestResourceLifecycleManager {
    private Vertx vertx;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
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
            if (request.path().endsWith("/q/health/live")) {
                request.response().end("{\"status\":\"UP\"}");
                return;
            }
            MessageDigest sha = sha256();
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
                            .put("requestId", request.getHeader("X-Request-Id"))
                            .put("forwardedProto", request.getHeader("X-Forwarded-Proto"))
                            .put("length", length[0])
                            .put("sha256", HexFormat.of().formatHex(sha.digest()))
                            .encode()));
        });
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return Map.of(
                    "peftflow.gateway.routes.datasets", "http://127.0.0.1:" + server.actualPort(),
                    "peftflow.gateway.routes.adapters", "http://127.0.0.1:" + closedPort());
        } catch (Exception e) {
            throw new IllegalStateException("echo upstream did not start", e);
        }
    }

    @Override
    public void stop() {
        vertx.close();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
