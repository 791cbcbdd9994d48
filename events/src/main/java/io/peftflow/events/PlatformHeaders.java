package io.peftflow.events;

/**
 * The headers the gateway sets on every request it sends to a service, spelled once. The correlation id and
 * the W3C trace context also ride along as Kafka record headers of the events a request causes.
 */
public final class PlatformHeaders {
    /**
     * The caller's tenant ({@link io.peftflow.events.contract.Tenant}), set by the gateway from the API key; a client's
     * own value never gets through.
     */
    public static final String TENANT = "X-Tenant";
    /** Correlation id: the client's, or one the gateway made; returned to the client and logged by every hop. */
    public static final String REQUEST_ID = "X-Request-Id";
    /** W3C Trace Context (https://www.w3.org/TR/trace-context/). */
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    /** The secret shared by the gateway and the services: a request without it did not come through the gateway. */
    public static final String GATEWAY_SECRET = "X-Peftflow-Gateway-Secret";

    private PlatformHeaders() {
    }
}
