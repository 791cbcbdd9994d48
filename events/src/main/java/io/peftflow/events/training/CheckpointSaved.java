package io.peftflow.events.training;

import io.peftflow.events.EventTypes;

/** {@code training.checkpoint-saved}: a resumable checkpoint of {@code step} is stored under {@code uri}. */
public record CheckpointSaved(String jobId, String tenant, int step, String uri) implements TrainingJobEvent {
    @Override
    public String type() {
        return EventTypes.TRAINING_CHECKPOINT_SAVED;
    }
}
