package io.peftflow.kit.trace;

import io.peftflow.events.PlatformHeaders;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;

import java.util.Map;
import java.util.Optional;

/**
 * The correlation id and W3C trace context of the request being served, as the gateway sent them. Kept in the
 * request's Vert.x context, so code called from a resource (the outbox, say) finds them without passing them
 * along; events written while serving a request carry them as Kafka record headers.
 *
 * @param headers header name → value, only those present
 */
public record RequestTrace(Map<String, String> headers) {
    private static final String KEY = RequestTrace.class.getName();
    static final String[] CARRIED = {PlatformHeaders.REQUEST_ID, PlatformHeaders.TRACEPARENT, PlatformHeaders.TRACESTATE};

    /** The trace of the request this thread serves; empty outside a request (a Kafka consumer, a scheduler). */
    public static Optional<RequestTrace> current() {
        return VertxContext.isOnDuplicatedContext() ? ContextLocals.get(KEY) : Optional.empty();
    }

    static void capture(Map<String, String> headers) {
        if (!headers.isEmpty() && VertxContext.isOnDuplicatedContext()) {
            ContextLocals.put(KEY, new RequestTrace(Map.copyOf(headers)));
        }
    }
}
