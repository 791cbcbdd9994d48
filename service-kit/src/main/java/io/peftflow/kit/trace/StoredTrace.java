package io.peftflow.kit.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.peftflow.events.PlatformHeaders;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A span's W3C trace context as text to keep in a row (an outbox event, a queued job), so that work done later on
 * another thread — the relay's send, a worker's training — continues the trace that caused it. Written and read by
 * OpenTelemetry's W3C propagator: the same {@code traceparent}/{@code tracestate} the services exchange over HTTP
 * and Kafka.
 *
 * @param traceparent never null
 * @param tracestate  null when empty
 */
public record StoredTrace(String traceparent, String tracestate) {
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<StoredTrace> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(StoredTrace carrier) {
            return List.of(PlatformHeaders.TRACEPARENT, PlatformHeaders.TRACESTATE);
        }

        @Override
        public String get(StoredTrace carrier, String key) {
            return key.equals(PlatformHeaders.TRACEPARENT) ? carrier.traceparent
                    : key.equals(PlatformHeaders.TRACESTATE) ? carrier.tracestate : null;
        }
    };

    /** The current span's context; null when there is none (no request or consumed record behind this work). */
    public static StoredTrace current() {
        return in(Span.current());
    }

    /** {@code span}'s context; null when it has no valid one. */
    public static StoredTrace in(Span span) {
        if (!span.getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3C.inject(Context.root().with(span), carrier, Map::put);
        return new StoredTrace(carrier.get(PlatformHeaders.TRACEPARENT), carrier.get(PlatformHeaders.TRACESTATE));
    }

    /** The stored trace, or null when {@code traceparent} is null. */
    public static StoredTrace of(String traceparent, String tracestate) {
        return traceparent == null ? null : new StoredTrace(traceparent, tracestate);
    }

    /** A context whose parent is the stored span (the root context when the text is not a valid traceparent). */
    public Context context() {
        return W3C.extract(Context.root(), this, GETTER);
    }

    /** {@code stored}'s context, or the root context (a new trace) when nothing was stored. */
    public static Context parentOf(StoredTrace stored) {
        return stored == null ? Context.root() : stored.context();
    }
}
