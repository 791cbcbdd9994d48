package io.peftflow.gateway.routing;

import io.peftflow.events.PlatformHeaders;
import io.peftflow.gateway.config.GatewayConfig;
import io.peftflow.gateway.net.ClientAddress;
import io.peftflow.gateway.trace.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * Streams each {@code /v1/...} request to the service that owns its first path segment and streams the
 * answer back: bodies are piped, never buffered, so multi-GB dataset uploads pass in constant memory.
 * The service learns the tenant from the gateway only, and sees the shared secret that proves where the
 * request came from.
 */
@ApplicationScoped
public class ReverseProxy {
    public static final String PREFIX = "/v1";
    private static final Logger LOG = Logger.getLogger(ReverseProxy.class);
    /** RFC 9110 §7.6.1: connection-specific headers are not forwarded. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");
    private static final Set<String> LOCATIONS = Set.of("location", "content-location");
    /**
     * Set by the gateway alone: a client's own value is dropped (the key stays with the gateway too). The trace
     * context is the HTTP client span's, which Quarkus's OpenTelemetry instrumentation of Vert.x writes on each
     * upstream request (a child of the server span, which continued the client's {@code traceparent}).
     */
    private static final Set<String> GATEWAY_OWNED = Set.of(PlatformHeaders.TENANT.toLowerCase(),
            PlatformHeaders.GATEWAY_SECRET.toLowerCase(), PlatformHeaders.REQUEST_ID.toLowerCase(),
            PlatformHeaders.TRACEPARENT, PlatformHeaders.TRACESTATE, "authorization");

    private final Routes routes;
    private final GatewayConfig config;
    private final ClientAddress clients;
    private final Vertx vertx;
    private HttpClient client;

    public ReverseProxy(Routes routes, GatewayConfig config, ClientAddress clients, Vertx vertx) {
        this.routes = routes;
        this.config = config;
        this.clients = clients;
        this.vertx = vertx;
    }

    @PostConstruct
    void connect() {
        client = vertx.createHttpClient(new HttpClientOptions()
                        .setConnectTimeout((int) config.connectTimeout().toMillis())
                        .setIdleTimeout((int) config.idleTimeout().toSeconds())
                        .setKeepAlive(true),
                // Vert.x keeps 5 connections per server by default: 32 clients then queue behind 5 sockets.
                new PoolOptions().setHttp1MaxSize(config.upstreamConnections()));
    }

    /** Forwards the request as {@code tenant}'s. */
    public void forward(RoutingContext ctx, String tenant) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        // PathGuard has refused dot segments, so the raw path is what was routed: /v1/<api>/... and nothing else.
        String path = request.path().substring(PREFIX.length());
        Optional<String> upstream = path.startsWith("/") ? routes.resolve(path) : Optional.empty();
        if (upstream.isEmpty()) {
            ProblemResponses.send(response, 404, "Not Found", "no API under " + request.path()
                    + "; known: " + routes.prefixes());
            return;
        }
        String uri = upstream.get() + path + (request.query() == null ? "" : "?" + request.query());
        String requestId = RequestIds.of(request.getHeader(PlatformHeaders.REQUEST_ID));

        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        request.headers().forEach(header -> {
            String name = header.getKey().toLowerCase();
            if (!HOP_BY_HOP.contains(name) && !GATEWAY_OWNED.contains(name)) {
                headers.add(header.getKey(), header.getValue());
            }
        });
        headers.set(PlatformHeaders.TENANT, tenant)
                .set(PlatformHeaders.GATEWAY_SECRET, config.upstreamSecret())
                .set(PlatformHeaders.REQUEST_ID, requestId)
                .set("X-Forwarded-For", clients.of(request))
                .set("X-Forwarded-Proto", request.scheme())
                .set("X-Forwarded-Host", request.authority() == null ? "" : request.authority().toString());
        RequestOptions options = new RequestOptions().setMethod(request.method()).setAbsoluteURI(uri).setHeaders(headers);

        boolean body = hasBody(request);
        if (body) {
            request.pause();
        } else {
            // Nothing to pipe (most API calls): send the head alone, and let a request that the key lookup paused
            // read on, or its keep-alive connection would stall.
            request.resume();
        }
        client.request(options)
                .compose(upstreamRequest -> {
                    // A client that leaves before the answer starts (a long completion it gave up on) closes the
                    // upstream exchange too, so the service stops working on it.
                    response.closeHandler(closed -> upstreamRequest.reset());
                    if (response.closed()) {  // it left while the key was looked up or the connection opened
                        upstreamRequest.reset();
                        return Future.failedFuture("the client left before the request was sent");
                    }
                    if (!body) {
                        return upstreamRequest.send();
                    }
                    if (!request.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                        upstreamRequest.setChunked(true);
                    }
                    return upstreamRequest.send(request);
                })
                .onSuccess(upstreamResponse -> relay(upstreamResponse, response, requestId, clients.publicBase(request)))
                .onFailure(failure -> {
                    if (response.closed()) {
                        return; // nobody to answer
                    }
                    LOG.warnf("request %s to %s failed: %s", requestId, uri, failure.getMessage());
                    response.putHeader(PlatformHeaders.REQUEST_ID, requestId);
                    ProblemResponses.send(response, 502, "Bad Gateway",
                            "the service behind " + routes.prefixOf(path) + " did not answer: " + failure.getMessage());
                });
    }

    private static void relay(HttpClientResponse upstream, HttpServerResponse response, String requestId,
                              String publicBase) {
        response.setStatusCode(upstream.statusCode());
        response.setStatusMessage(upstream.statusMessage());
        upstream.headers().forEach(header -> {
            String name = header.getKey().toLowerCase();
            if (LOCATIONS.contains(name)) {
                response.headers().add(header.getKey(), publicLocation(header.getValue(), publicBase));
            } else if (!HOP_BY_HOP.contains(name)) {
                response.headers().add(header.getKey(), header.getValue());
            }
        });
        response.putHeader(PlatformHeaders.REQUEST_ID, requestId);
        if (!upstream.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        // A client that left before the end (a stream it stopped reading) fails the next write: the upstream exchange is
        // closed too, so the service stops producing it (inference-service frees the completion's decoding row).
        upstream.pipeTo(response).onFailure(failure -> upstream.request().reset());
    }

    /**
     * A service's {@code Location} as the client must call it: a service knows only its own address and paths, so
     * whatever it names becomes the same path under the gateway's public {@code /v1}; no internal address leaves.
     */
    static String publicLocation(String location, String publicBase) {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            return publicBase + PREFIX;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return publicBase + PREFIX + path + query;
    }

    /** RFC 9112 §6.3: a request has a body when it says how long it is (not 0) or that it is chunked. */
    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING) || (length != null && !length.equals("0"));
    }
}
