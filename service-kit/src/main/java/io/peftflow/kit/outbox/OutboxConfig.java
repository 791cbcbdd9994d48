package io.peftflow.kit.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the outbox relay polls, sends, backs off and alerts, and how long sent rows are kept ({@code peftflow.outbox.*}). */
@ConfigMapping(prefix = "peftflow.outbox")
public interface OutboxConfig {
    /** How often the relay looks for pending rows when no commit in its JVM wakes it. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Longest wait for one record's acknowledgement (and for metadata while sending). */
    @WithDefault("10s")
    Duration sendTimeout();

    /** Longest wait for the broker to answer a reachability probe. */
    @WithDefault("3s")
    Duration probeTimeout();

    /** Rows claimed per poll. */
    @WithDefault("100")
    int batchSize();

    /** First retry delay of a failed row and of a Kafka outage; doubles per failure ... */
    @WithDefault("1s")
    Duration initialBackoff();

    /** ... up to this. */
    @WithDefault("1m")
    Duration maxBackoff();

    /** Failures of one row while Kafka is reachable before it is dead-lettered (kept, never sent, counted). */
    @WithDefault("10")
    int maxAttempts();

    /** How long a sent row is kept (to see what left and when) before {@link OutboxRetention} deletes it. */
    @WithDefault("7d")
    Duration retention();

    /** How often {@link OutboxRetention} looks for sent rows past their retention. */
    @WithDefault("10m")
    Duration retentionSweepInterval();

    /** Rows deleted per transaction by {@link OutboxRetention}. */
    @WithDefault("1000")
    int retentionBatchSize();

    /** How long Kafka may be unreachable before the relay logs an ALERT (and again every such interval). */
    @WithDefault("5m")
    Duration alertAfter();
}
