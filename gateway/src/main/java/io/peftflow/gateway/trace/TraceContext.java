package io.peftflow.gateway.trace;

import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The correlation id and W3C {@code traceparent} the gateway sends upstream. The gateway is one hop of the
 * trace: it keeps the client's trace id and flags and names itself as the parent (a new span id); without a
 * valid client header it starts a trace.
 */
public final class TraceContext {
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);
    /** A client's correlation id is kept when it is printable ASCII of reasonable length; else one is made. */
    private static final Pattern REQUEST_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");
    private static final HexFormat HEX = HexFormat.of();

    private TraceContext() {
    }

    public static String requestId(String fromClient) {
        return fromClient != null && REQUEST_ID.matcher(fromClient).matches() ? fromClient : UUID.randomUUID().toString();
    }

    public static String traceparent(String fromClient) {
        if (fromClient != null) {
            var m = TRACEPARENT.matcher(fromClient.trim());
            if (m.matches() && !m.group(1).equals(ZERO_TRACE) && !m.group(2).equals(ZERO_SPAN)) {
                return "00-" + m.group(1) + "-" + spanId() + "-" + m.group(3);
            }
        }
        return "00-" + hex(16) + "-" + spanId() + "-01";
    }

    private static String spanId() {
        return hex(8);
    }

    /** Random non-zero ids; not secrets, so the thread's fast generator (String.format cost 8% of a proxied call). */
    private static String hex(int bytes) {
        byte[] id = new byte[bytes];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        do {
            random.nextBytes(id);
        } while (allZero(id));
        return HEX.formatHex(id);
    }

    private static boolean allZero(byte[] id) {
        for (byte b : id) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
