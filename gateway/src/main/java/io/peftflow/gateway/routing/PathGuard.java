package io.peftflow.gateway.routing;

import io.vertx.ext.web.RoutingContext;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The first handler of every request: a path with a dot segment ({@code .} or {@code ..}), plain or percent-encoded
 * once, twice or more, or with a backslash or NUL, is answered 404 before routing. Vert.x would otherwise route the
 * normalised path while the proxy forwards the raw one, and a service would resolve {@code /datasets/../q/metrics}
 * to its own {@code /q/metrics}.
 */
public final class PathGuard {
    /** Decoding rounds looked through: more layers of encoding than this are refused outright. */
    private static final int ROUNDS = 4;

    private PathGuard() {
    }

    public static void handle(RoutingContext ctx) {
        if (safe(ctx.request().path())) {
            ctx.next();
        } else {
            ProblemResponses.send(ctx.response(), 404, "Not Found", "no such path");
        }
    }

    static boolean safe(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return false;
        }
        String path = rawPath;
        for (int round = 0; round < ROUNDS; round++) {
            if (path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
                return false;
            }
            for (String segment : path.split("/", -1)) {
                if (segment.equals(".") || segment.equals("..")) {
                    return false;
                }
            }
            if (path.indexOf('%') < 0) {
                return true;
            }
            try {
                path = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return path.indexOf('%') < 0;
    }
}
