package io.peftflow.events.training;

import io.peftflow.events.EventTypes;
import java.time.OffsetDateTime;

/** {@code training.job-queued}: a job was accepted and waits for a worker. */
public record JobQueued(String jobId, String tenant, String adapterName, DatasetRef dataset, String baseModel,
                        String method, String origin, OffsetDateTime queuedAt) implements TrainingJobEvent {
    @Override
    public String type() {
        return EventTypes.TRAINING_JOB_QUEUED;
    }
}
