package io.peftflow.events.training;

import io.peftflow.events.EventTypes;
import java.time.OffsetDateTime;

/**
 * {@code training.job-started}: a worker claimed the job.
 *
 * @param attempt         1 for the first claim; higher after a worker died and the lease expired
 * @param resumedFromStep the checkpoint step the run continues from (0 for a fresh start)
 * @param device          where it trains, e.g. {@code gpu(0)} or {@code cpu()}
 */
public record JobStarted(String jobId, String tenant, String workerId, int attempt, int resumedFromStep,
                         String device, OffsetDateTime startedAt) implements TrainingJobEvent {
    @Override
    public String type() {
        return EventTypes.TRAINING_JOB_STARTED;
    }
}
