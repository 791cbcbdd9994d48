package io.peftflow.kit.intake;

import java.io.IOException;
import java.sql.SQLException;

/**
 * Whether a failure is a dependency's availability rather than the record: retried, never dead-lettered.
 * <ul>
 *   <li>PostgreSQL: an SQLSTATE of class 08 (connection), 40 (serialization failure, deadlock), 53 (insufficient
 *   resources, e.g. too many connections), 57P (server shutting down or starting), 55P03 (lock not available), or a
 *   connection pool error with no SQLSTATE at all (e.g. its acquisition timeout) when nothing in the chain has one;</li>
 *   <li>S3 and the network: an {@link IOException} anywhere in the chain (connection refused or reset, timeouts; the
 *   S3 client reports them so, while a refusal by the server is an error response, not an I/O failure);</li>
 *   <li>Kafka: a {@code RetriableException}.</li>
 * </ul>
 */
public final class TransientFailures {
    private TransientFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        boolean stateless = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state == null) {
                    stateless = true;
                    continue;
                }
                return state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                        || state.startsWith("57P") || state.equals("55P03");
            }
            if (t instanceof IOException || t instanceof org.apache.kafka.common.errors.RetriableException) {
                return true;
            }
        }
        return stateless;
    }

    /** The root cause's message, for the retry's log line. */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
