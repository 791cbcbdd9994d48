package io.peftflow.events.training;

import io.peftflow.events.EventTypes;
import java.time.OffsetDateTime;

/**
 * {@code training.job-failed}.
 *
 * @param kind   {@link Kind#USER_ERROR} when the request or its data is at fault (retrying will not help),
 *               {@link Kind#REGISTRATION_FAILED} when the registry refused the trained adapter, else
 *               {@link Kind#SYSTEM_ERROR}
 * @param reason what went wrong, naming the file, field or tensor where one is at fault
 */
public record JobFailed(String jobId, String tenant, Kind kind, String reason, int lastCheckpointStep,
                        OffsetDateTime failedAt) implements TrainingJobEvent {
    public enum Kind { USER_ERROR, SYSTEM_ERROR, REGISTRATION_FAILED }

    @Override
    public String type() {
        return EventTypes.TRAINING_JOB_FAILED;
    }
}
