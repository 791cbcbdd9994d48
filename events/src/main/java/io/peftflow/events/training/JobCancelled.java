package io.peftflow.events.training;

import io.peftflow.events.EventTypes;
import java.time.OffsetDateTime;

/** {@code training.job-cancelled}: stopped on request; the last checkpoint is kept. */
public record JobCancelled(String jobId, String tenant, int lastCheckpointStep, OffsetDateTime cancelledAt)
        implements TrainingJobEvent {
    @Override
    public String type() {
        return EventTypes.TRAINING_JOB_CANCELLED;
    }
}
