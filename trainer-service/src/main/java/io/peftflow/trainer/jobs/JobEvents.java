package io.peftflow.trainer.jobs;

import io.peftflow.events.Topics;
import io.peftflow.events.training.TrainingJobEvent;
import io.peftflow.kit.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;

/**
 * Writes a job's lifecycle facts twice in the caller's transaction: a line of its event log (what /events and
 * /stream show) and the typed event in the outbox (what Kafka gets, after commit, at least once).
 */
@ApplicationScoped
public class JobEvents {
    public static final String SOURCE = "/trainer-service";
    private static final String TYPE_PREFIX = "io.peftflow.";

    private final Outbox outbox;

    public JobEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * @param discriminator what makes a repeated fact of one job distinct (its attempt, its step), so that its
     *                      event id is stable on a retry but not shared with another fact
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(TrainingJobEvent event, String level, String message, Object... discriminator) {
        log(event.jobId(), shortType(event.type()), level, message, JsonText.write(event));
        outbox.enqueue(Topics.TRAINING_EVENTS, event.key(), event.toCloudEvent(SOURCE, discriminator));
    }

    /** A log line that is not a Kafka event (an evaluation during training, a superseded job's reason). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void log(String jobId, String type, String level, String message, String data) {
        JobEventRow row = new JobEventRow();
        row.jobId = jobId;
        row.type = type;
        row.level = level;
        row.message = message;
        row.data = data;
        row.createdAt = OffsetDateTime.now();
        row.persist();
    }

    /** {@code io.peftflow.training.progress.v1} -> {@code training.progress}. */
    static String shortType(String type) {
        String t = type.startsWith(TYPE_PREFIX) ? type.substring(TYPE_PREFIX.length()) : type;
        int v = t.lastIndexOf(".v");
        return v > 0 ? t.substring(0, v) : t;
    }
}
