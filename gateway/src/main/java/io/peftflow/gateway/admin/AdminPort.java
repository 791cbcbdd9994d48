package io.peftflow.gateway.admin;

import io.peftflow.gateway.config.GatewayConfig;
import io.peftflow.gateway.routing.ProblemResponses;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.TimeUnit;

/**
 * The admin API ({@code /admin/...}) on a port of its own, {@code peftflow.gateway.admin-port} on
 * {@code admin-host} (loopback by default): a second HTTP server on the same router, with a guard that serves
 * {@code /admin} there only and nothing else there. Not Quarkus' management interface, so {@code /q/health} and
 * {@code /q/metrics} stay on the public port where the probes look. The public port answers {@code /admin} with 404.
 */
@ApplicationScoped
public class AdminPort {
    public static final String PREFIX = "/admin";
    private static final Logger LOG = Logger.getLogger(AdminPort.class);

    private final GatewayConfig config;
    private final Vertx vertx;
    private volatile HttpServer server;

    public AdminPort(GatewayConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    /** The port the admin API listens on (the bound one when configured as 0); -1 before it listens. */
    public int port() {
        HttpServer s = server;
        return s == null ? -1 : s.actualPort();
    }

    void register(@Observes Router router) {
        router.route().order(-9).handler(this::guard);
        try {
            server = vertx.createHttpServer(new HttpServerOptions().setHost(config.adminHost()).setPort(config.adminPort()))
                    .requestHandler(router)
                    .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the admin API cannot listen on " + config.adminHost() + ":"
                    + config.adminPort() + " (peftflow.gateway.admin-port)", e);
        }
        LOG.infof("admin API on http://%s:%d%s", config.adminHost(), server.actualPort(), PREFIX);
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
        }
    }

    private void guard(RoutingContext ctx) {
        boolean adminPort = ctx.request().localAddress() != null && ctx.request().localAddress().port() == port();
        String path = ctx.request().path();
        boolean adminPath = path.equals(PREFIX) || path.startsWith(PREFIX + "/");
        if (adminPort == adminPath) {
            ctx.next();
        } else {
            ProblemResponses.send(ctx.response(), 404, "Not Found", adminPath
                    ? "the admin API is served on the gateway's admin port only" : "the admin port serves /admin only");
        }
    }
}
