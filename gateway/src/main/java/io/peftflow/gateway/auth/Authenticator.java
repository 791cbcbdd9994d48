package io.peftflow.gateway.auth;

import io.peftflow.gateway.net.ClientAddress;
import io.peftflow.gateway.routing.ProblemResponses;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * The first handler of every {@code /v1} request: resolves the {@code Authorization: Bearer} key to its
 * tenant (401 without a valid key) and applies the key's rate limit (429 with {@code Retry-After}). Unknown keys
 * are throttled per client address ({@link KeyGuesses}) and remembered for the cache TTL, so guessing costs the
 * guesser time and the database nothing after the first miss.
 */
@ApplicationScoped
public class Authenticator {
    private static final Logger LOG = Logger.getLogger(Authenticator.class);
    private static final String CALLER = "peftflow.caller";

    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final KeyGuesses guesses;
    private final ClientAddress clients;
    private final Vertx vertx;

    public Authenticator(ApiKeys keys, RateLimiter limiter, KeyGuesses guesses, ClientAddress clients, Vertx vertx) {
        this.keys = keys;
        this.limiter = limiter;
        this.guesses = guesses;
        this.clients = clients;
        this.vertx = vertx;
    }

    /** The caller a request was authenticated as (set before any later handler runs). */
    public static Caller caller(RoutingContext ctx) {
        return ctx.get(CALLER);
    }

    public void handle(RoutingContext ctx) {
        String secret = Secrets.bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (secret == null) {
            unauthorized(ctx, "send an API key as 'Authorization: Bearer <key>'");
            return;
        }
        Optional<ApiKeys.Verdict> cached = keys.cached(secret);
        if (cached.isPresent() && cached.get().caller().isPresent()) {
            admit(ctx, cached.get());
            return;
        }
        // From here on the key is unknown or not yet looked up: an address that guessed too often waits.
        String address = clients.of(ctx.request());
        long wait = guesses.retryAfter(address);
        if (wait > 0) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(wait));
            ProblemResponses.send(ctx.response(), 429, "Too Many Requests", "too many unknown API keys from "
                    + address + "; retry in " + wait + " s");
            return;
        }
        if (cached.isPresent()) {
            guesses.failed(address);
            unauthorized(ctx, "unknown or revoked API key");
            return;
        }
        // A key not seen lately: the database is blocking, so look it up off the event loop and hold the body.
        ctx.request().pause();
        vertx.<ApiKeys.Verdict>executeBlocking(() -> keys.lookup(secret), false).onComplete(result -> {
            if (result.succeeded()) {
                if (result.result().caller().isEmpty()) {
                    guesses.failed(address);
                }
                admit(ctx, result.result());
            } else {
                LOG.errorf(result.cause(), "API key lookup failed");
                ProblemResponses.send(ctx.response(), 503, "Service Unavailable", "API keys cannot be checked right now");
            }
        });
    }

    private void admit(RoutingContext ctx, ApiKeys.Verdict verdict) {
        if (verdict.caller().isEmpty()) {
            unauthorized(ctx, "unknown or revoked API key");
            return;
        }
        Caller caller = verdict.caller().get();
        long retryAfter = limiter.acquire(caller);
        if (retryAfter > 0) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
            ProblemResponses.send(ctx.response(), 429, "Too Many Requests", "key " + caller.keyName() + " is limited to "
                    + caller.requestsPerMinute() + " requests/min (burst " + caller.burst() + "); retry in " + retryAfter + " s");
            return;
        }
        ctx.put(CALLER, caller);
        ctx.next();
    }

    private static void unauthorized(RoutingContext ctx, String detail) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"peftflow\"");
        ProblemResponses.send(ctx.response(), 401, "Unauthorized", detail);
    }
}
