package io.peftflow.gateway.routing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Set;
import java.util.UUID;

/**
 * Streams each {@code /v1/...} request to the service that owns its first path segment and streams the
 * answer back: bodies are piped, never buffered, so multi-GB dataset uploads pass in constant memory.
 */
@ApplicationScoped
public class ReverseProxy {
    static final String PREFIX = "/v1";
    private static final Logger LOG = Logger.getLogger(ReverseProxy.class);
    /** RFC 9110 §7.6.1: connection-specific headers are not forwarded. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");

    private final Routes routes;
    private HttpClient client;

    public ReverseProxy(Routes routes) {
        this.routes = routes;
    }

    void register(@Observes Router router, Vertx vertx, GatewayConfig config) {
        client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setIdleTimeout((int) config.idleTimeout().toSeconds())
                .setKeepAlive(true));
        router.route(PREFIX + "/*").handler(this::forward);
    }

    void forward(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        String path = request.path().substring(PREFIX.length());
        var upstream = routes.resolve(path);
        if (upstream.isEmpty()) {
            ProblemResponses.send(response, 404, "Not Found", "no API under " + request.path()
                    + "; known: " + routes.prefixes());
            return;
        }
        String uri = upstream.get() + path + (request.query() == null ? "" : "?" + request.query());
        String requestId = request.headers().contains("X-Request-Id")
                ? request.getHeader("X-Request-Id") : UUID.randomUUID().toString();

        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        copyHeaders(request.headers(), headers);
        RequestOptions options = new RequestOptions().setMethod(request.method()).setAbsoluteURI(uri).setHeaders(headers)
                .putHeader("X-Request-Id", requestId)
                .putHeader("X-Forwarded-For", request.remoteAddress() == null ? "" : request.remoteAddress().host())
                .putHeader("X-Forwarded-Proto", request.scheme())
                .putHeader("X-Forwarded-Host", request.authority() == null ? "" : request.authority().toString());

        request.pause();
        client.request(options)
                .compose(upstreamRequest -> {
                    if (!request.headers().contains(HttpHeaders.CONTENT_LENGTH) && hasBody(request)) {
                        upstreamRequest.setChunked(true);
                    }
                    return upstreamRequest.send(request);
                })
                .onSuccess(upstreamResponse -> relay(upstreamResponse, response, requestId))
                .onFailure(failure -> {
                    LOG.warnf("request %s to %s failed: %s", requestId, uri, failure.getMessage());
                    ProblemResponses.send(response, 502, "Bad Gateway",
                            "the service behind " + routes.prefixOf(path) + " did not answer: " + failure.getMessage());
                });
    }

    private static void relay(HttpClientResponse upstream, HttpServerResponse response, String requestId) {
        response.setStatusCode(upstream.statusCode());
        response.setStatusMessage(upstream.statusMessage());
        copyHeaders(upstream.headers(), response.headers());
        response.putHeader("X-Request-Id", requestId);
        if (!upstream.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        upstream.pipeTo(response);
    }

    private static boolean hasBody(HttpServerRequest request) {
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private static void copyHeaders(MultiMap from, MultiMap to) {
        from.forEach(header -> {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase())) {
                to.add(header.getKey(), header.getValue());
            }
        });
    }
}
