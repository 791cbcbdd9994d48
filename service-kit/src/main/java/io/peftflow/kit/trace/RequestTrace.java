package io.peftflow.kit.trace;

import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;

import java.util.Optional;

/**
 * The correlation id of the request being served, as the gateway sent it ({@code X-Request-Id}). Kept in the
 * request's Vert.x context, so code called from a resource (the outbox, say) finds it without passing it along;
 * events written while serving a request carry it as a Kafka record header. The trace context is OpenTelemetry's
 * ({@link StoredTrace}).
 */
public record RequestTrace(String requestId) {
    private static final String KEY = RequestTrace.class.getName();

    /** The request this thread serves; empty outside a request (a Kafka consumer, a scheduler). */
    public static Optional<RequestTrace> current() {
        return VertxContext.isOnDuplicatedContext() ? ContextLocals.get(KEY) : Optional.empty();
    }

    static void capture(String requestId) {
        if (VertxContext.isOnDuplicatedContext()) {
            ContextLocals.put(KEY, new RequestTrace(requestId));
        }
    }
}
