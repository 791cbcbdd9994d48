package io.peftflow.gateway.trace;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The correlation id ({@code X-Request-Id}) the gateway sends upstream and returns. The W3C trace context is
 * OpenTelemetry's: the server span continues a client's {@code traceparent} and the proxy's HTTP client span
 * sends its own upstream.
 */
public final class RequestIds {
    /** A client's correlation id is kept when it is printable ASCII of reasonable length; else one is made. */
    private static final Pattern REQUEST_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");

    private RequestIds() {
    }

    public static String of(String fromClient) {
        return fromClient != null && REQUEST_ID.matcher(fromClient).matches() ? fromClient : UUID.randomUUID().toString();
    }
}
