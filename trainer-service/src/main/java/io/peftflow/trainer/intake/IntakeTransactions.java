package io.peftflow.trainer.intake;

import io.peftflow.trainer.TrainerConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * How the Kafka intake finishes a record: its work runs in one transaction, then the record is acknowledged.
 * <ul>
 *   <li>The database is unavailable (connection lost or refused, server restarting, serialization failure or
 *   deadlock): the same record is tried again, after 200 ms doubling up to {@code peftflow.trainer.intake-retry-max},
 *   for as long as it takes. The records behind it wait in Kafka; none is skipped, and none can succeed meanwhile
 *   anyway. Its offset is not committed until it succeeds, so a restart meanwhile redelivers it.</li>
 *   <li>Anything else (an unreadable record, values the database refuses, a bug): the record can never succeed, so
 *   it is nacked, which the channel's {@code dead-letter-queue} failure strategy turns into a copy on
 *   {@code peftflow.trainer.dead-letters} (with the reason in its headers) and an acknowledgement: it neither stops
 *   the channel nor is lost.</li>
 * </ul>
 * The work must be idempotent (it is: every insert is {@code ON CONFLICT DO NOTHING}): Kafka delivers at least once.
 */
@ApplicationScoped
public class IntakeTransactions {
    private static final Logger LOG = Logger.getLogger(IntakeTransactions.class);
    private static final Duration FIRST_WAIT = Duration.ofMillis(200);

    private final Duration maxWait;
    private volatile boolean stopping;

    public IntakeTransactions(TrainerConfig config) {
        this.maxWait = config.intakeRetryMax();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Runs {@code work} on the record's value in a transaction of its own, retried while the database is away. */
    public CompletionStage<Void> process(Message<String> record, String channel, Consumer<String> work) {
        Duration wait = FIRST_WAIT;
        for (int attempt = 1; ; attempt++) {
            try {
                QuarkusTransaction.requiringNew().run(() -> work.accept(record.getPayload()));
                if (attempt > 1) {
                    LOG.infof("%s: record processed at attempt %d, the database is back", channel, attempt);
                }
                return record.ack();
            } catch (RuntimeException e) {
                if (!databaseUnavailable(e)) {
                    LOG.errorf("%s: dead-lettering a record that can never be processed: %s", channel, e.getMessage());
                    return record.nack(e);
                }
                LOG.warnf("%s: database unavailable (attempt %d: %s); trying the record again in %d ms", channel,
                        attempt, rootMessage(e), wait.toMillis());
            }
            if (!pause(wait)) {
                // Neither ack nor nack: the offset stays uncommitted and the next consumer gets the record again.
                LOG.infof("%s: stopping with a record unprocessed; it is delivered again after the restart", channel);
                return new CompletableFuture<>();
            }
            wait = wait.multipliedBy(2).compareTo(maxWait) > 0 ? maxWait : wait.multipliedBy(2);
        }
    }

    private boolean pause(Duration wait) {
        if (stopping) {
            return false;
        }
        try {
            Thread.sleep(wait.toMillis());
            return !stopping;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Whether the failure is the database's availability rather than the record: an SQLSTATE of class 08
     * (connection), 40 (serialization failure, deadlock), 53 (insufficient resources, e.g. too many connections),
     * 57P (server shutting down or starting), 55P03 (lock not available), or a connection pool error with no
     * SQLSTATE at all (e.g. its acquisition timeout) when nothing in the chain has one.
     */
    static boolean databaseUnavailable(Throwable failure) {
        boolean stateless = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state == null) {
                    stateless = true;
                } else if (state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                        || state.startsWith("57P") || state.equals("55P03")) {
                    return true;
                } else {
                    return false;
                }
            }
        }
        return stateless;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
