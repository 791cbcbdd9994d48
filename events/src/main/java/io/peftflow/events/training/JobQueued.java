package io.peftflow.events.training;

import io.peftflow.events.EventTypes;
import java.time.OffsetDateTime;

/**
 * {@code training.job-queued}: a job was accepted and waits for a worker.
 *
 * @param newData for a retraining policy's job: how its dataset version differs by content from the version the
 *                policy last trained on; null otherwise and in events of releases before it
 */
public record JobQueued(String jobId, String tenant, String adapterName, DatasetRef dataset, String baseModel,
                        String method, String origin, OffsetDateTime queuedAt, DataChange newData)
        implements TrainingJobEvent {

    public JobQueued(String jobId, String tenant, String adapterName, DatasetRef dataset, String baseModel, String method,
                     String origin, OffsetDateTime queuedAt) {
        this(jobId, tenant, adapterName, dataset, baseModel, method, origin, queuedAt, null);
    }

    /**
     * Examples of the new version whose content (normalised as dataset-service's duplicate check normalises it) the
     * version {@code comparedTo} did not have, and examples of {@code comparedTo} the new version no longer has.
     * {@code byContent} is false when one of them has no stored content hashes (a version from before them): the
     * counts are then the difference in example counts, {@code dropped} 0.
     */
    public record DataChange(int comparedTo, long newExamples, long droppedExamples, boolean byContent) {
    }

    @Override
    public String type() {
        return EventTypes.TRAINING_JOB_QUEUED;
    }
}
