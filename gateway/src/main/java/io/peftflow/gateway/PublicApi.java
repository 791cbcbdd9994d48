package io.peftflow.gateway;

import io.peftflow.gateway.auth.Authenticator;
import io.peftflow.gateway.auth.Caller;
import io.peftflow.gateway.openapi.MergedOpenApi;
import io.peftflow.gateway.routing.PathGuard;
import io.peftflow.gateway.routing.ProblemResponses;
import io.peftflow.gateway.routing.ReverseProxy;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The routes under {@code /v1}, after {@link PathGuard} has refused dot segments on every path: the merged OpenAPI
 * document (public), then for everything else the API key
 * check and rate limit, {@code /v1/me} (who the key belongs to), and the proxy to the owning service.
 */
@ApplicationScoped
public class PublicApi {
    private final Authenticator authenticator;
    private final ReverseProxy proxy;
    private final MergedOpenApi openApi;

    public PublicApi(Authenticator authenticator, ReverseProxy proxy, MergedOpenApi openApi) {
        this.authenticator = authenticator;
        this.proxy = proxy;
        this.openApi = openApi;
    }

    void register(@Observes Router router) {
        router.route().order(-10).handler(PathGuard::handle);
        router.get(ReverseProxy.PREFIX + "/openapi.json").order(-3).handler(this::openApi);
        router.route(ReverseProxy.PREFIX + "/*").order(-2).handler(authenticator::handle);
        router.get(ReverseProxy.PREFIX + "/me").order(-1).handler(this::me);
        router.route(ReverseProxy.PREFIX + "/*").order(0).handler(ctx -> proxy.forward(ctx, Authenticator.caller(ctx).tenant()));
    }

    private void openApi(RoutingContext ctx) {
        String self = ctx.request().scheme() + "://127.0.0.1:" + ctx.request().localAddress().port();
        openApi.document(self).onComplete(result -> {
            if (result.succeeded()) {
                ctx.response().putHeader("Content-Type", "application/json").end(result.result().encode());
            } else {
                ProblemResponses.send(ctx.response(), 500, "Internal Server Error", "OpenAPI merge failed: " + result.cause().getMessage());
            }
        });
    }

    private void me(RoutingContext ctx) {
        Caller caller = Authenticator.caller(ctx);
        ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                .put("tenant", caller.tenant())
                .put("key", new JsonObject().put("id", caller.keyId()).put("name", caller.keyName())
                        .put("requestsPerMinute", caller.requestsPerMinute()).put("burst", caller.burst()))
                .encode());
    }
}
