package io.peftflow.gateway.openapi;

import io.peftflow.gateway.routing.ReverseProxy;
import io.peftflow.gateway.routing.Routes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * The public API as one OpenAPI document: each service's own document (its {@code /q/openapi}) with its
 * paths moved under {@code /v1}, plus the gateway's own operations. Services that do not answer are left
 * out and named in {@code x-unavailable}; the console shows only pages whose operations are listed.
 */
@ApplicationScoped
public class MergedOpenApi {
    private static final long TIMEOUT_MS = 3000;
    /** Recomputed at most this often: the documents change only when a service is redeployed. */
    private static final long TTL_NANOS = 15_000_000_000L;

    private final Routes routes;
    private final HttpClient client;
    private volatile JsonObject cached;
    private volatile long cachedAt;

    public MergedOpenApi(Routes routes, Vertx vertx) {
        this.routes = routes;
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS));
    }

    /** The merged document; {@code self} is the gateway's own base URL (its own operations). */
    public Future<JsonObject> document(String self) {
        JsonObject current = cached;
        if (current != null && System.nanoTime() - cachedAt < TTL_NANOS) {
            return Future.succeededFuture(current);
        }
        List<String> prefixes = new ArrayList<>(routes.upstreams().keySet());
        List<Future<JsonObject>> fetches = new ArrayList<>();
        for (String prefix : prefixes) {
            fetches.add(fetch(routes.upstreams().get(prefix)));
        }
        Future<JsonObject> own = fetch(self);
        List<Future<?>> all = new ArrayList<>(fetches);
        all.add(own);
        return Future.join(all).transform(done -> {
            JsonObject merged = new JsonObject()
                    .put("openapi", "3.1.0")
                    .put("info", new JsonObject().put("title", "peftflow API").put("version", "v1")
                            .put("description", "Every operation needs 'Authorization: Bearer <API key>'; the key decides the tenant."))
                    .put("servers", new JsonArray().add(new JsonObject().put("url", "/")))
                    .put("paths", new JsonObject())
                    .put("components", new JsonObject().put("schemas", new JsonObject())
                            .put("securitySchemes", new JsonObject().put("apiKey",
                                    new JsonObject().put("type", "http").put("scheme", "bearer"))))
                    .put("security", new JsonArray().add(new JsonObject().put("apiKey", new JsonArray())))
                    .put("tags", new JsonArray());
            JsonArray unavailable = new JsonArray();
            for (int i = 0; i < prefixes.size(); i++) {
                Future<JsonObject> fetch = fetches.get(i);
                if (fetch.succeeded()) {
                    for (String served : routes.servedPrefixes(prefixes.get(i))) {
                        add(merged, fetch.result(), ReverseProxy.PREFIX, "/" + served);
                    }
                } else {
                    unavailable.add(prefixes.get(i));
                }
            }
            if (own.succeeded()) {
                add(merged, own.result(), "", "/admin");
            }
            merged.put("x-unavailable", unavailable);
            cached = merged;
            cachedAt = System.nanoTime();
            return Future.succeededFuture(merged);
        });
    }

    /**
     * Adds the operations of {@code doc} whose path starts with {@code owned}, under {@code mount}. A path two services
     * serve ({@code /files/{id}}: uploads and result files) keeps the first one's operations.
     */
    private static void add(JsonObject merged, JsonObject doc, String mount, String owned) {
        JsonObject paths = merged.getJsonObject("paths");
        doc.getJsonObject("paths", new JsonObject()).forEach(path -> {
            if ((path.getKey().equals(owned) || path.getKey().startsWith(owned + "/"))
                    && !paths.containsKey(mount + path.getKey())) {
                paths.put(mount + path.getKey(), path.getValue());
            }
        });
        JsonObject schemas = merged.getJsonObject("components").getJsonObject("schemas");
        JsonObject components = doc.getJsonObject("components", new JsonObject());
        // The services share their error schema (service-kit's Problem): the first copy is kept.
        components.getJsonObject("schemas", new JsonObject()).forEach(schema -> {
            if (!schemas.containsKey(schema.getKey())) {
                schemas.put(schema.getKey(), schema.getValue());
            }
        });
        JsonArray tags = merged.getJsonArray("tags");
        doc.getJsonArray("tags", new JsonArray()).forEach(tag -> {
            if (!tags.contains(tag)) {
                tags.add(tag);
            }
        });
    }

    private Future<JsonObject> fetch(String base) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setAbsoluteURI(base + "/q/openapi?format=json").setTimeout(TIMEOUT_MS)
                .putHeader("Accept", "application/json");
        return client.request(options).compose(request -> request.send()).compose(response -> response.statusCode() == 200
                ? response.body().map(body -> new JsonObject(body))
                : Future.failedFuture("HTTP " + response.statusCode()));
    }
}
