package io.peftflow.kit.intake;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.peftflow.events.CloudEvent;
import io.peftflow.events.EventCodec;
import io.peftflow.events.contract.Validated;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.TracingMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The typed intake of every Kafka consumer, with one failure policy (README "Failure policy"):
 * <ol>
 *   <li>decode the CloudEvent and, for the types this consumer takes, its payload record, validated with the
 *   contract types ({@link Validated}); a record of another type on a shared topic is acknowledged, it is another
 *   consumer's;</li>
 *   <li>run the work. A transient failure ({@link TransientFailures}: the database, S3 or Kafka away) retries the
 *   same record after 200 ms doubling up to {@code peftflow.intake.retry-max}, for as long as it takes: the records
 *   behind it wait, none is skipped, and its offset is not committed, so a restart meanwhile redelivers it;</li>
 *   <li>anything else — an unreadable or invalid record, values the database refuses, a bug — can never succeed:
 *   the record is nacked, which the channel's {@code dead-letter-queue} failure strategy turns into a copy on the
 *   service's dead-letter topic with the reason in its {@code dead-letter-*} headers, and an acknowledgement.</li>
 * </ol>
 * Nothing is skipped silently. The work must be idempotent: Kafka delivers at least once.
 */
@ApplicationScoped
public class EventIntake {
    private static final Logger LOG = Logger.getLogger(EventIntake.class);
    private static final Duration FIRST_WAIT = Duration.ofMillis(200);

    private final Duration maxWait;
    private final Tracer tracer;
    private volatile boolean stopping;

    public EventIntake(@ConfigProperty(name = "peftflow.intake.retry-max", defaultValue = "30s") Duration maxWait,
                       Tracer tracer) {
        this.maxWait = maxWait;
        this.tracer = tracer;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /**
     * Decodes {@code record} as one of {@code types} (CloudEvents type to payload record) and runs {@code work} on
     * its payload under the failure policy.
     */
    public <T> CompletionStage<Void> process(Message<String> record, String channel,
                                             Map<String, Class<? extends T>> types, Consumer<T> work) {
        // The connector's receive span continues the producer's trace (the record's traceparent) but has ended by
        // now: the work gets its own span under it, current while it runs, so what it writes (outbox events, jobs)
        // stays in the trace.
        Span span = tracer.spanBuilder(channel + " process").setSpanKind(SpanKind.CONSUMER)
                .setParent(TracingMetadata.fromMessage(record).map(TracingMetadata::getCurrentContext)
                        .orElse(Context.current()))
                .setAttribute("messaging.system", "kafka").setAttribute("messaging.operation.type", "process")
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return decodeAndRun(record, channel, types, work, span);
        } finally {
            span.end();
        }
    }

    private <T> CompletionStage<Void> decodeAndRun(Message<String> record, String channel,
                                                   Map<String, Class<? extends T>> types, Consumer<T> work, Span span) {
        T payload;
        try {
            CloudEvent event = EventCodec.decode(record.getPayload());
            Class<? extends T> type = types.get(event.type());
            if (type == null) {
                return record.ack();
            }
            span.setAttribute("cloudevents.event_type", event.type());
            payload = EventCodec.payload(event, type);
            if (payload instanceof Validated v) {
                v.validate();
            }
        } catch (IllegalArgumentException e) {
            LOG.errorf("%s: dead-lettering a record that is not a valid event: %s", channel, e.getMessage());
            span.setStatus(StatusCode.ERROR, "dead-lettered: " + e.getMessage());
            return record.nack(e);
        }
        return run(record, channel, () -> work.accept(payload), span);
    }

    private CompletionStage<Void> run(Message<String> record, String channel, Runnable work, Span span) {
        Duration wait = FIRST_WAIT;
        for (int attempt = 1; ; attempt++) {
            try {
                work.run();
                if (attempt > 1) {
                    LOG.infof("%s: record processed at attempt %d", channel, attempt);
                }
                return record.ack();
            } catch (RuntimeException e) {
                if (!TransientFailures.isTransient(e)) {
                    LOG.errorf(e, "%s: dead-lettering a record that can never be processed: %s", channel, e.getMessage());
                    span.recordException(e);
                    span.setStatus(StatusCode.ERROR, "dead-lettered");
                    return record.nack(e);
                }
                LOG.warnf("%s: %s (attempt %d); trying the record again in %d ms", channel,
                        TransientFailures.describe(e), attempt, wait.toMillis());
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
}
